package dev.switchboard.relay.ra;

import dev.switchboard.connector.inbound.RelayEvent;
import dev.switchboard.relay.config.RelaySettings;
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
import java.util.Objects;
import java.util.Timer;
import java.time.Duration;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The relay as a JCA resource adapter: {@link #start} opens the listeners on WorkManager threads, {@link #stop}
 * closes them (so a redeploy rebinds cleanly). Protocol work lives in {@link RelayServer}; this class only maps the
 * container's lifecycle and configuration onto it.
 *
 * <p>The adapter has no JCA config-properties: {@link #start} reads the operator's system properties itself through
 * {@link RelaySettings}, where each setting's property, default and checks are declared once. Config-properties
 * would need each setting written again in {@code ra.xml}, as a {@code ${property:default}} expression in
 * {@code ironjacamar.xml} and as a setter here, for the same system properties in the end; the operator's interface
 * (the system properties in README, set with {@code -D} or the CLI, taking effect at the next deployment) is
 * unchanged.
 *
 * <p>Should the event loop fail, {@link RelayServer} brings up a new one on a new Work through the same
 * {@link WorkManagerExecutor}: the dead loop's Work ends normally (the container gets it back), and {@link #stop}
 * waits for the new one as for the first, cancelling a restart still waiting out its backoff.
 */
public class RelayResourceAdapter implements ResourceAdapter {

    private static final Logger LOG = Logger.getLogger(RelayResourceAdapter.class.getName());
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    /** The system properties; a map's in tests. */
    private final Function<String, String> properties;

    private volatile RelayServer server;
    private volatile EventDispatcher dispatcher;
    private volatile Timer secretsWatch;
    private volatile WorkManagerExecutor executor;

    public RelayResourceAdapter() {
        this(System::getProperty);
    }

    /** @param properties the value of a system property, or null where it is not set */
    RelayResourceAdapter(Function<String, String> properties) {
        this.properties = Objects.requireNonNull(properties, "properties");
    }

    @Override
    public void start(BootstrapContext ctx) throws ResourceAdapterInternalException {
        RelayConfig config;
        try {
            config = RelayConfig.read(properties);
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
            awaitWorkHandedBack(executor);
            throw new ResourceAdapterInternalException("Relay failed to start: " + e.getMessage(), e);
        }
        this.executor = executor;
        this.dispatcher = events;
        this.server = relay;
        try {
            Timer timer = ctx.createTimer();
            timer.schedule(new SecretsWatch(relay, properties), SecretsWatch.PERIOD_MILLIS,
                    SecretsWatch.PERIOD_MILLIS);
            this.secretsWatch = timer;
        } catch (jakarta.resource.spi.UnavailableException e) {
            LOG.warning(() -> "No timer from the container: TURN REST-API secrets change with a redeploy only ("
                    + e.getMessage() + ")");
        }
        LOG.info(() -> "Switchboard relay started: " + relay.listeners());
    }

    @Override
    public void stop() {
        Timer timer = secretsWatch;
        secretsWatch = null;
        if (timer != null) {
            timer.cancel();
        }
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
        WorkManagerExecutor work = executor;
        executor = null;
        if (work != null) {
            awaitWorkHandedBack(work);
        }
        LOG.info("Switchboard relay stopped");
    }

    /**
     * The container stops its thread pool soon after {@code stop()} returns; WildFly's pool then fails on every Work
     * still unwinding (see {@link WorkManagerExecutor}). So {@code stop()} returns once the WorkManager has all of
     * ours back: the loops' own "done" signals come before the container's bookkeeping on their threads.
     */
    private static void awaitWorkHandedBack(WorkManagerExecutor work) {
        try {
            if (!work.awaitIdle(STOP_TIMEOUT)) {
                LOG.warning(() -> work.outstanding() + " relay Work(s) still running " + STOP_TIMEOUT.toSeconds()
                        + " s after stop; the container may report them when it stops its thread pool");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
