package dev.switchboard.relay.ra;

import dev.switchboard.connector.inbound.RelayEvent;
import dev.switchboard.relay.server.RelayConfig;
import dev.switchboard.relay.server.RelayServer;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.BootstrapContext;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.ResourceAdapterInternalException;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import jakarta.resource.spi.work.WorkManager;

import javax.transaction.xa.XAResource;
import java.util.ArrayList;
import java.util.List;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The relay as a JCA resource adapter: {@link #start} opens the listeners on WorkManager threads, {@link #stop}
 * closes them (so a redeploy rebinds cleanly). Protocol work lives in {@link RelayServer}; this class only maps the
 * container's lifecycle and configuration onto it. Config properties are set from {@code META-INF/ironjacamar.xml},
 * where each one is a system-property expression with its default.
 */
public class RelayResourceAdapter implements ResourceAdapter {

    private static final Logger LOG = Logger.getLogger(RelayResourceAdapter.class.getName());
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private String bindAddress = RelayConfig.DEFAULT_BIND_ADDRESS;
    private String udpPort = Integer.toString(RelayConfig.DEFAULT_STUN_PORT);
    private String tcpPort = Integer.toString(RelayConfig.DEFAULT_STUN_PORT);
    private String software = RelayConfig.DEFAULT_SOFTWARE;
    private String eventQueueCapacity = Integer.toString(RelayConfig.DEFAULT_EVENT_QUEUE_CAPACITY);

    private volatile RelayServer server;
    private volatile EventDispatcher dispatcher;

    @Override
    public void start(BootstrapContext ctx) throws ResourceAdapterInternalException {
        RelayConfig config;
        try {
            config = RelayConfig.builder()
                    .bindAddress(bindAddress)
                    .udpPort(RelayConfig.parsePort("UdpPort", udpPort))
                    .tcpPort(RelayConfig.parsePort("TcpPort", tcpPort))
                    .software(software)
                    .node(System.getProperty("jboss.node.name", "standalone"))
                    .eventQueueCapacity(RelayConfig.parsePositive("EventQueueCapacity", eventQueueCapacity))
                    .build();
        } catch (IllegalArgumentException e) {
            throw new ResourceAdapterInternalException("Invalid relay configuration: " + e.getMessage(), e);
        }
        WorkManager workManager = ctx.getWorkManager();
        WorkManagerExecutor executor = new WorkManagerExecutor(workManager);
        EventDispatcher events = new EventDispatcher(config.eventQueueCapacity(), executor);
        RelayServer relay = new RelayServer(config, events);
        try {
            events.start();
            relay.start(executor);
        } catch (Exception e) {
            relay.stop(STOP_TIMEOUT);
            events.stop();
            throw new ResourceAdapterInternalException("Relay failed to start: " + e.getMessage(), e);
        }
        this.dispatcher = events;
        this.server = relay;
        LOG.info(() -> "Switchboard relay started: " + relay.listeners());
    }

    @Override
    public void stop() {
        RelayServer relay = server;
        server = null;
        if (relay != null) {
            relay.stop(STOP_TIMEOUT);
        }
        EventDispatcher events = dispatcher;
        dispatcher = null;
        if (events != null) {
            events.stop();
        }
        LOG.info("Switchboard relay stopped");
    }

    @Override
    public void endpointActivation(MessageEndpointFactory factory, ActivationSpec spec) throws ResourceException {
        EventDispatcher events = requireDispatcher();
        events.activate(factory);
        // A consumer that starts after the relay still learns every listener's current state.
        RelayServer relay = server;
        if (relay != null) {
            List<RelayEvent> state = new ArrayList<>();
            relay.announceListeners(state::add);
            events.deliverTo(factory, state);
        }
    }

    @Override
    public void endpointDeactivation(MessageEndpointFactory factory, ActivationSpec spec) {
        EventDispatcher events = dispatcher;
        if (events != null) {
            events.deactivate(factory);
        }
    }

    @Override
    public XAResource[] getXAResources(ActivationSpec[] specs) {
        return new XAResource[0]; // events carry no transaction of their own
    }

    /** The running relay, for the outbound connections; fails if the adapter is not started. */
    RelayServer server() throws ResourceException {
        RelayServer relay = server;
        if (relay == null) {
            throw new ResourceException("The Switchboard relay is not running");
        }
        return relay;
    }

    private EventDispatcher requireDispatcher() throws ResourceException {
        EventDispatcher events = dispatcher;
        if (events == null) {
            throw new ResourceException("The Switchboard relay is not running");
        }
        return events;
    }

    static void logFailure(String what, Throwable t) {
        LOG.log(Level.WARNING, what, t);
    }

    // JavaBean config properties (ra.xml / ironjacamar.xml); strings so that expressions resolve before parsing.

    public String getBindAddress() {
        return bindAddress;
    }

    public void setBindAddress(String bindAddress) {
        this.bindAddress = bindAddress;
    }

    public String getUdpPort() {
        return udpPort;
    }

    public void setUdpPort(String udpPort) {
        this.udpPort = udpPort;
    }

    public String getTcpPort() {
        return tcpPort;
    }

    public void setTcpPort(String tcpPort) {
        this.tcpPort = tcpPort;
    }

    public String getSoftware() {
        return software;
    }

    public void setSoftware(String software) {
        this.software = software;
    }

    public String getEventQueueCapacity() {
        return eventQueueCapacity;
    }

    public void setEventQueueCapacity(String eventQueueCapacity) {
        this.eventQueueCapacity = eventQueueCapacity;
    }

    // A resource adapter is a JavaBean the container may compare; identity is the right equality for a singleton.
    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
