package dev.switchboard.relay.ra;

import dev.switchboard.connector.inbound.RelayEvent;
import dev.switchboard.relay.turn.ExternalAddresses;
import dev.switchboard.relay.server.RelayConfig;
import dev.switchboard.relay.server.RelayServer;
import dev.switchboard.relay.server.TlsSettings;
import dev.switchboard.relay.transport.TcpOptions;
import dev.switchboard.relay.transport.TlsContext;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.BootstrapContext;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.ResourceAdapterInternalException;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import jakarta.resource.spi.work.WorkManager;

import javax.transaction.xa.XAResource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Timer;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The relay as a JCA resource adapter: {@link #start} opens the listeners on WorkManager threads, {@link #stop}
 * closes them (so a redeploy rebinds cleanly). Protocol work lives in {@link RelayServer}; this class only maps the
 * container's lifecycle and configuration onto it. Config properties are set from {@code META-INF/ironjacamar.xml},
 * where each one is a system-property expression with its default.
 *
 * <p>Should the event loop fail, {@link RelayServer} brings up a new one on a new Work through the same
 * {@link WorkManagerExecutor}: the dead loop's Work ends normally (the container gets it back), and {@link #stop}
 * waits for the new one as for the first, cancelling a restart still waiting out its backoff.
 */
public class RelayResourceAdapter implements ResourceAdapter {

    private static final Logger LOG = Logger.getLogger(RelayResourceAdapter.class.getName());
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private String bindAddress = RelayConfig.DEFAULT_BIND_ADDRESS;
    private String udpPort = Integer.toString(RelayConfig.DEFAULT_STUN_PORT);
    private String tcpPort = Integer.toString(RelayConfig.DEFAULT_STUN_PORT);
    private String software = RelayConfig.DEFAULT_SOFTWARE;
    private String eventQueueCapacity = Integer.toString(RelayConfig.DEFAULT_EVENT_QUEUE_CAPACITY);
    private String udpClientSockets = "true";
    private String eventLoops = "0";
    private String maxConnections = Integer.toString(TcpOptions.DEFAULT_MAX_CONNECTIONS);
    private String maxConnectionsPerSource = Integer.toString(TcpOptions.DEFAULT_MAX_CONNECTIONS_PER_SOURCE);
    private String tcpFirstMessageTimeout = Long.toString(TcpOptions.DEFAULT_FIRST_MESSAGE_TIMEOUT.toSeconds());
    private String tcpIdleTimeout = Long.toString(TcpOptions.DEFAULT_IDLE_TIMEOUT.toSeconds());

    private String turnEnabled = "true";
    private String turnRealm = "switchboard";
    private String turnSecrets = "";
    private String turnUsers = "";
    private String turnRelayAddress = "";
    private String turnExternalAddress = "";
    private String turnMinPort = "49152";
    private String turnMaxPort = "65535";
    private String turnAllowPeers = "";
    private String turnDenyPeers = "";
    private String turnMaxAllocations = "10000";
    private String turnMaxAllocationsPerUser = "100";
    private String turnDefaultLifetime = "600";
    private String turnMaxLifetime = "3600";

    private String turnUnauthenticatedRate = "200";
    private String turnUnauthenticatedBurst = "400";
    private String turnReplyFactor = "4";
    private String turnMaxBps = "16000000";
    private String turnTcpConnectTimeout = "30";
    private String turnMaxTcpConnections = "64";

    private String turnTlsPort = Integer.toString(TlsSettings.DEFAULT_PORT);
    private String tlsKeyStore = TlsSettings.DEFAULT_KEY_STORE;
    private String tlsKeyStorePassword = TlsSettings.DEFAULT_KEY_STORE_PASSWORD;
    private String tlsKeyStoreType = TlsSettings.DEFAULT_KEY_STORE_TYPE;
    private String tlsKeyStoreAlias = "";
    private String tlsCertificate = "";
    private String tlsPrivateKey = "";
    private String tlsProtocols = "";
    private String tlsHandshakeTimeout = Long.toString(TlsContext.DEFAULT_HANDSHAKE_TIMEOUT.toSeconds());

    private volatile RelayServer server;
    private volatile EventDispatcher dispatcher;
    private volatile Timer secretsWatch;
    private volatile WorkManagerExecutor executor;

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
                    .udpClientSockets(parseBoolean("UdpClientSockets", udpClientSockets))
                    .eventLoops(RelayConfig.parseNonNegative("EventLoops", eventLoops))
                    .connections(new RelayConfig.Connections(
                            RelayConfig.parsePositive("MaxConnections", maxConnections),
                            RelayConfig.parsePositive("MaxConnectionsPerSource", maxConnectionsPerSource),
                            Duration.ofSeconds(RelayConfig.parsePositive("TcpFirstMessageTimeout",
                                    tcpFirstMessageTimeout)),
                            Duration.ofSeconds(RelayConfig.parsePositive("TcpIdleTimeout", tcpIdleTimeout))))
                    .turn(turnSettings())
                    .tls(tlsSettings())
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
            awaitWorkHandedBack(executor);
            throw new ResourceAdapterInternalException("Relay failed to start: " + e.getMessage(), e);
        }
        this.executor = executor;
        this.dispatcher = events;
        this.server = relay;
        try {
            Timer timer = ctx.createTimer();
            timer.schedule(new SecretsWatch(relay, System::getProperty), SecretsWatch.PERIOD_MILLIS,
                    SecretsWatch.PERIOD_MILLIS);
            this.secretsWatch = timer;
        } catch (jakarta.resource.spi.UnavailableException e) {
            LOG.warning(() -> "No timer from the container: TURN REST-API secrets change with a redeploy only ("
                    + e.getMessage() + ")");
        }
        LOG.info(() -> "Switchboard relay started: " + relay.listeners());
    }

    private RelayConfig.TurnSettings turnSettings() {
        return new RelayConfig.TurnSettings(
                parseBoolean("TurnEnabled", turnEnabled),
                turnRealm == null ? "" : turnRealm.trim(),
                RelayConfig.TurnSettings.list(turnSecrets),
                RelayConfig.TurnSettings.list(turnUsers),
                RelayConfig.Builder.addresses(turnRelayAddress),
                RelayConfig.parsePositive("TurnMinPort", turnMinPort),
                RelayConfig.parsePositive("TurnMaxPort", turnMaxPort),
                turnAllowPeers == null ? "" : turnAllowPeers,
                turnDenyPeers == null ? "" : turnDenyPeers,
                RelayConfig.parsePositive("TurnMaxAllocations", turnMaxAllocations),
                RelayConfig.parsePositive("TurnMaxAllocationsPerUser", turnMaxAllocationsPerUser),
                RelayConfig.parsePositive("TurnDefaultLifetime", turnDefaultLifetime),
                RelayConfig.parsePositive("TurnMaxLifetime", turnMaxLifetime),
                parseNonNegativeDouble("TurnUnauthenticatedRate", turnUnauthenticatedRate),
                RelayConfig.parsePositive("TurnUnauthenticatedBurst", turnUnauthenticatedBurst),
                parseNonNegativeInt("TurnReplyFactor", turnReplyFactor),
                parseNonNegativeLong("TurnMaxBps", turnMaxBps),
                RelayConfig.parsePositive("TurnTcpConnectTimeout", turnTcpConnectTimeout),
                RelayConfig.parsePositive("TurnMaxTcpConnections", turnMaxTcpConnections),
                ExternalAddresses.parse(turnExternalAddress));
    }

    private TlsSettings tlsSettings() {
        List<String> protocols = RelayConfig.TurnSettings.list(tlsProtocols);
        String configDir = System.getProperty("jboss.server.config.dir");
        return new TlsSettings(
                TlsSettings.parsePorts("TurnTlsPort", turnTlsPort),
                tlsKeyStore, tlsKeyStorePassword, tlsKeyStoreType, tlsKeyStoreAlias, tlsCertificate, tlsPrivateKey,
                protocols.isEmpty() ? TlsContext.DEFAULT_PROTOCOLS : protocols,
                Duration.ofSeconds(RelayConfig.parsePositive("TlsHandshakeTimeout", tlsHandshakeTimeout)),
                configDir == null ? null : Path.of(configDir));
    }

    private static double parseNonNegativeDouble(String name, String value) {
        try {
            double d = Double.parseDouble(value == null ? "" : value.trim());
            if (d >= 0 && Double.isFinite(d)) {
                return d;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be a number >= 0, got '" + value + "'");
    }

    private static long parseNonNegativeLong(String name, String value) {
        try {
            long n = Long.parseLong(value == null ? "" : value.trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be a whole number >= 0, got '" + value + "'");
    }

    private static int parseNonNegativeInt(String name, String value) {
        return "0".equals(value == null ? "" : value.trim()) ? 0 : RelayConfig.parsePositive(name, value);
    }

    private static boolean parseBoolean(String name, String value) {
        String v = value == null ? "" : value.trim();
        if (v.equalsIgnoreCase("true")) {
            return true;
        }
        if (v.equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException(name + " must be true or false, got '" + value + "'");
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

    public String getMaxConnections() {
        return maxConnections;
    }

    public void setMaxConnections(String maxConnections) {
        this.maxConnections = maxConnections;
    }

    public String getMaxConnectionsPerSource() {
        return maxConnectionsPerSource;
    }

    public void setMaxConnectionsPerSource(String maxConnectionsPerSource) {
        this.maxConnectionsPerSource = maxConnectionsPerSource;
    }

    public String getTcpFirstMessageTimeout() {
        return tcpFirstMessageTimeout;
    }

    public void setTcpFirstMessageTimeout(String tcpFirstMessageTimeout) {
        this.tcpFirstMessageTimeout = tcpFirstMessageTimeout;
    }

    public String getTcpIdleTimeout() {
        return tcpIdleTimeout;
    }

    public void setTcpIdleTimeout(String tcpIdleTimeout) {
        this.tcpIdleTimeout = tcpIdleTimeout;
    }

    public String getEventLoops() {
        return eventLoops;
    }

    public void setEventLoops(String eventLoops) {
        this.eventLoops = eventLoops;
    }

    public String getUdpClientSockets() {
        return udpClientSockets;
    }

    public void setUdpClientSockets(String udpClientSockets) {
        this.udpClientSockets = udpClientSockets;
    }

    public String getEventQueueCapacity() {
        return eventQueueCapacity;
    }

    public void setEventQueueCapacity(String eventQueueCapacity) {
        this.eventQueueCapacity = eventQueueCapacity;
    }

    public String getTurnEnabled() {
        return turnEnabled;
    }

    public void setTurnEnabled(String turnEnabled) {
        this.turnEnabled = turnEnabled;
    }

    public String getTurnRealm() {
        return turnRealm;
    }

    public void setTurnRealm(String turnRealm) {
        this.turnRealm = turnRealm;
    }

    public String getTurnSecrets() {
        return turnSecrets;
    }

    public void setTurnSecrets(String turnSecrets) {
        this.turnSecrets = turnSecrets;
    }

    public String getTurnUsers() {
        return turnUsers;
    }

    public void setTurnUsers(String turnUsers) {
        this.turnUsers = turnUsers;
    }

    public String getTurnRelayAddress() {
        return turnRelayAddress;
    }

    public void setTurnRelayAddress(String turnRelayAddress) {
        this.turnRelayAddress = turnRelayAddress;
    }

    public String getTurnExternalAddress() {
        return turnExternalAddress;
    }

    public void setTurnExternalAddress(String turnExternalAddress) {
        this.turnExternalAddress = turnExternalAddress;
    }

    public String getTurnMinPort() {
        return turnMinPort;
    }

    public void setTurnMinPort(String turnMinPort) {
        this.turnMinPort = turnMinPort;
    }

    public String getTurnMaxPort() {
        return turnMaxPort;
    }

    public void setTurnMaxPort(String turnMaxPort) {
        this.turnMaxPort = turnMaxPort;
    }

    public String getTurnAllowPeers() {
        return turnAllowPeers;
    }

    public void setTurnAllowPeers(String turnAllowPeers) {
        this.turnAllowPeers = turnAllowPeers;
    }

    public String getTurnDenyPeers() {
        return turnDenyPeers;
    }

    public void setTurnDenyPeers(String turnDenyPeers) {
        this.turnDenyPeers = turnDenyPeers;
    }

    public String getTurnMaxAllocations() {
        return turnMaxAllocations;
    }

    public void setTurnMaxAllocations(String turnMaxAllocations) {
        this.turnMaxAllocations = turnMaxAllocations;
    }

    public String getTurnMaxAllocationsPerUser() {
        return turnMaxAllocationsPerUser;
    }

    public void setTurnMaxAllocationsPerUser(String turnMaxAllocationsPerUser) {
        this.turnMaxAllocationsPerUser = turnMaxAllocationsPerUser;
    }

    public String getTurnDefaultLifetime() {
        return turnDefaultLifetime;
    }

    public void setTurnDefaultLifetime(String turnDefaultLifetime) {
        this.turnDefaultLifetime = turnDefaultLifetime;
    }

    public String getTurnMaxLifetime() {
        return turnMaxLifetime;
    }

    public void setTurnMaxLifetime(String turnMaxLifetime) {
        this.turnMaxLifetime = turnMaxLifetime;
    }

    public String getTurnUnauthenticatedRate() {
        return turnUnauthenticatedRate;
    }

    public void setTurnUnauthenticatedRate(String turnUnauthenticatedRate) {
        this.turnUnauthenticatedRate = turnUnauthenticatedRate;
    }

    public String getTurnUnauthenticatedBurst() {
        return turnUnauthenticatedBurst;
    }

    public void setTurnUnauthenticatedBurst(String turnUnauthenticatedBurst) {
        this.turnUnauthenticatedBurst = turnUnauthenticatedBurst;
    }

    public String getTurnReplyFactor() {
        return turnReplyFactor;
    }

    public void setTurnReplyFactor(String turnReplyFactor) {
        this.turnReplyFactor = turnReplyFactor;
    }

    public String getTurnMaxBps() {
        return turnMaxBps;
    }

    public void setTurnMaxBps(String turnMaxBps) {
        this.turnMaxBps = turnMaxBps;
    }

    public String getTurnTcpConnectTimeout() {
        return turnTcpConnectTimeout;
    }

    public void setTurnTcpConnectTimeout(String turnTcpConnectTimeout) {
        this.turnTcpConnectTimeout = turnTcpConnectTimeout;
    }

    public String getTurnMaxTcpConnections() {
        return turnMaxTcpConnections;
    }

    public void setTurnMaxTcpConnections(String turnMaxTcpConnections) {
        this.turnMaxTcpConnections = turnMaxTcpConnections;
    }

    public String getTurnTlsPort() {
        return turnTlsPort;
    }

    public void setTurnTlsPort(String turnTlsPort) {
        this.turnTlsPort = turnTlsPort;
    }

    public String getTlsKeyStore() {
        return tlsKeyStore;
    }

    public void setTlsKeyStore(String tlsKeyStore) {
        this.tlsKeyStore = tlsKeyStore;
    }

    public String getTlsKeyStorePassword() {
        return tlsKeyStorePassword;
    }

    public void setTlsKeyStorePassword(String tlsKeyStorePassword) {
        this.tlsKeyStorePassword = tlsKeyStorePassword;
    }

    public String getTlsKeyStoreType() {
        return tlsKeyStoreType;
    }

    public void setTlsKeyStoreType(String tlsKeyStoreType) {
        this.tlsKeyStoreType = tlsKeyStoreType;
    }

    public String getTlsKeyStoreAlias() {
        return tlsKeyStoreAlias;
    }

    public void setTlsKeyStoreAlias(String tlsKeyStoreAlias) {
        this.tlsKeyStoreAlias = tlsKeyStoreAlias;
    }

    public String getTlsCertificate() {
        return tlsCertificate;
    }

    public void setTlsCertificate(String tlsCertificate) {
        this.tlsCertificate = tlsCertificate;
    }

    public String getTlsPrivateKey() {
        return tlsPrivateKey;
    }

    public void setTlsPrivateKey(String tlsPrivateKey) {
        this.tlsPrivateKey = tlsPrivateKey;
    }

    public String getTlsProtocols() {
        return tlsProtocols;
    }

    public void setTlsProtocols(String tlsProtocols) {
        this.tlsProtocols = tlsProtocols;
    }

    public String getTlsHandshakeTimeout() {
        return tlsHandshakeTimeout;
    }

    public void setTlsHandshakeTimeout(String tlsHandshakeTimeout) {
        this.tlsHandshakeTimeout = tlsHandshakeTimeout;
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
