package dev.switchboard.relay.server;

import dev.switchboard.relay.config.RelaySettings;
import dev.switchboard.relay.sfu.SfuSettings;
import dev.switchboard.relay.turn.ExternalAddresses;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The relay's settings, validated once at start. The resource adapter {@linkplain #read reads} it from system
 * properties through {@link RelaySettings}, which declares each setting's property, default and checks; tests build
 * it directly.
 *
 * @param bindAddresses      addresses the listeners bind to (one UDP and one TCP listener per address)
 * @param udpPort            STUN/TURN over UDP; 0 disables the UDP listener
 * @param tcpPort            STUN/TURN over TCP; 0 disables the TCP listener
 * @param software           the SOFTWARE attribute value
 * @param node               the server node name stamped on events
 * @param eventQueueCapacity events buffered towards MDBs before new ones are dropped
 * @param udpClientSockets   whether a TURN allocation over UDP gets a socket of its own, connected to its client, on
 *                           the listener's port (where the system has {@code SO_REUSEPORT}): no address object per
 *                           datagram when clients interleave
 * @param eventLoops         event loops serving the listeners, each with its own sockets on the shared ports
 *                           ({@code SO_REUSEPORT}: the kernel spreads UDP clients over them by 4-tuple)
 * @param turn               TURN settings; {@link TurnSettings#enabled()} false leaves a STUN-only server
 * @param tls                TLS listeners (TURNS) and their key material; no ports means none
 * @param connections        caps and timeouts of the TCP and TLS connections, across all their listeners
 * @param sfu                the SFU's settings; {@link SfuSettings#enabled()} false serves no SFU sessions
 */
public record RelayConfig(List<InetAddress> bindAddresses, int udpPort, int tcpPort, String software, String node,
                          int eventQueueCapacity, boolean udpClientSockets, int eventLoops, TurnSettings turn,
                          TlsSettings tls, Connections connections, SfuSettings sfu) {

    /**
     * What TCP and TLS connections may cost. Connections over a cap are closed as they are accepted (and counted);
     * those without a TURN allocation are closed when their first message does not come in time or they fall
     * silent; those with one live as long as their allocation could.
     *
     * @param maxConnections          open TCP and TLS connections in total, across every listener
     * @param maxConnectionsPerSource of those, from one IPv4 address or IPv6 /64
     * @param firstMessageTimeout     from the accept (TLS handshake included) to the first whole STUN message
     * @param idleTimeout             a connection without an allocation that sends no message for this long closes
     */
    public record Connections(int maxConnections, int maxConnectionsPerSource, Duration firstMessageTimeout,
                              Duration idleTimeout) {

        public static final Connections DEFAULTS = read(property -> null);

        /** @param properties the value of a system property, or null where it is not set */
        public static Connections read(Function<String, String> properties) {
            return new Connections(RelaySettings.MAX_CONNECTIONS.read(properties),
                    RelaySettings.MAX_CONNECTIONS_PER_SOURCE.read(properties),
                    RelaySettings.TCP_FIRST_MESSAGE_TIMEOUT.read(properties),
                    RelaySettings.TCP_IDLE_TIMEOUT.read(properties));
        }

        public Connections {
            if (maxConnections <= 0 || maxConnectionsPerSource <= 0) {
                throw new IllegalArgumentException("connection caps must be positive");
            }
            if (firstMessageTimeout.isNegative() || firstMessageTimeout.isZero() || idleTimeout.isNegative()
                    || idleTimeout.isZero()) {
                throw new IllegalArgumentException("connection timeouts must be positive");
            }
        }
    }

    /**
     * TURN as the operator configures it (parsed and checked again by the TURN server, which owns the meaning). Built
     * with named setters from the defaults of {@link RelaySettings}, or {@linkplain #read read} from properties.
     */
    public static final class TurnSettings {

        /** STUN only; everything else at its default. */
        public static final TurnSettings DISABLED = builder().enabled(false).build();

        private final boolean enabled;
        private final String realm;
        private final List<String> secrets;
        private final List<String> users;
        private final List<InetAddress> relayAddresses;
        private final int minPort;
        private final int maxPort;
        private final String allowPeers;
        private final String denyPeers;
        private final int maxAllocations;
        private final int maxAllocationsPerUser;
        private final int defaultLifetime;
        private final int maxLifetime;
        private final double unauthenticatedRate;
        private final int unauthenticatedBurst;
        private final int replyFactor;
        private final long maxBitsPerSecond;
        private final int tcpConnectTimeout;
        private final int maxTcpConnections;
        private final ExternalAddresses externalAddresses;

        private TurnSettings(Builder b) {
            enabled = b.enabled;
            realm = Objects.requireNonNull(b.realm, "realm");
            secrets = List.copyOf(b.secrets);
            users = List.copyOf(b.users);
            relayAddresses = List.copyOf(b.relayAddresses);
            minPort = b.minPort;
            maxPort = b.maxPort;
            allowPeers = Objects.requireNonNull(b.allowPeers, "allowPeers");
            denyPeers = Objects.requireNonNull(b.denyPeers, "denyPeers");
            maxAllocations = b.maxAllocations;
            maxAllocationsPerUser = b.maxAllocationsPerUser;
            defaultLifetime = b.defaultLifetime;
            maxLifetime = b.maxLifetime;
            unauthenticatedRate = b.unauthenticatedRate;
            unauthenticatedBurst = b.unauthenticatedBurst;
            replyFactor = b.replyFactor;
            maxBitsPerSecond = b.maxBitsPerSecond;
            tcpConnectTimeout = b.tcpConnectTimeout;
            maxTcpConnections = b.maxTcpConnections;
            externalAddresses = Objects.requireNonNull(b.externalAddresses, "externalAddresses");
            if (enabled && realm.isBlank()) {
                throw new IllegalArgumentException(RelaySettings.TURN_REALM.property() + " must not be empty");
            }
            if (minPort < 1 || maxPort > 65_535 || minPort > maxPort) {
                throw new IllegalArgumentException("TURN relay ports must satisfy 1 <= "
                        + RelaySettings.TURN_MIN_PORT.property() + " <= " + RelaySettings.TURN_MAX_PORT.property()
                        + " <= 65535, got " + minPort + ".." + maxPort);
            }
            if (maxAllocations <= 0 || maxAllocationsPerUser <= 0) {
                throw new IllegalArgumentException("TURN allocation quotas must be positive");
            }
            if (defaultLifetime <= 0 || maxLifetime < defaultLifetime) {
                throw new IllegalArgumentException("TURN lifetimes must satisfy 0 < "
                        + RelaySettings.TURN_DEFAULT_LIFETIME.property() + " <= "
                        + RelaySettings.TURN_MAX_LIFETIME.property() + ", got " + defaultLifetime + " and "
                        + maxLifetime);
            }
            if (maxBitsPerSecond < 0) {
                throw new IllegalArgumentException("TURN bandwidth cap must be 0 (none) or positive bits/s");
            }
            if (tcpConnectTimeout <= 0 || maxTcpConnections <= 0) {
                throw new IllegalArgumentException("TURN TCP connect timeout and connection limit must be positive");
            }
        }

        /** Every setting at its default: TURN on, no users, no secrets. */
        public static Builder builder() {
            return new Builder(property -> null);
        }

        /** @param properties the value of a system property, or null where it is not set */
        public static TurnSettings read(Function<String, String> properties) {
            return new Builder(properties).build();
        }

        /** false: Binding only */
        public boolean enabled() {
            return enabled;
        }

        /** the long-term credential realm */
        public String realm() {
            return realm;
        }

        /** TURN REST-API shared secrets, newest first (several at once for rotation) */
        public List<String> secrets() {
            return secrets;
        }

        /** static users, {@code user:password} or {@code user:0x<HA1 hex>} */
        public List<String> users() {
            return users;
        }

        /** where relayed sockets bind; empty means the bind addresses */
        public List<InetAddress> relayAddresses() {
            return relayAddresses;
        }

        /** lowest relayed port */
        public int minPort() {
            return minPort;
        }

        /** highest relayed port */
        public int maxPort() {
            return maxPort;
        }

        /** CIDRs that re-open denied peer ranges (e.g. loopback for tests) */
        public String allowPeers() {
            return allowPeers;
        }

        /** CIDRs denied in addition to the built-in deny-list */
        public String denyPeers() {
            return denyPeers;
        }

        /** allocations in total */
        public int maxAllocations() {
            return maxAllocations;
        }

        /** allocations per username */
        public int maxAllocationsPerUser() {
            return maxAllocationsPerUser;
        }

        /** allocation lifetime granted by default, seconds */
        public int defaultLifetime() {
            return defaultLifetime;
        }

        /** longest allocation lifetime granted, seconds */
        public int maxLifetime() {
            return maxLifetime;
        }

        /** replies per second per source IP to not-yet-authenticated requests (0 = off) */
        public double unauthenticatedRate() {
            return unauthenticatedRate;
        }

        /** tokens a quiet source starts with */
        public int unauthenticatedBurst() {
            return unauthenticatedBurst;
        }

        /** largest reply to an unauthenticated UDP request, as a multiple of its size (1 strict, 0 off) */
        public int replyFactor() {
            return replyFactor;
        }

        /** bandwidth cap per allocation and direction, bits/s of payload (0 = none) */
        public long maxBitsPerSecond() {
            return maxBitsPerSecond;
        }

        /** seconds a Connect (RFC 6062) waits for the peer before 447 */
        public int tcpConnectTimeout() {
            return tcpConnectTimeout;
        }

        /** peer data connections per TCP allocation (RFC 6062) */
        public int maxTcpConnections() {
            return maxTcpConnections;
        }

        /** public addresses behind a 1:1 NAT, advertised instead of the relay addresses */
        public ExternalAddresses externalAddresses() {
            return externalAddresses;
        }

        @Override
        public String toString() {
            return "TurnSettings[enabled=" + enabled + ", realm=" + realm + ", secrets=" + secrets.size()
                    + ", users=" + users.size() + ", relayAddresses=" + relayAddresses + ", ports=" + minPort + ".."
                    + maxPort + ", maxAllocations=" + maxAllocations + "/" + maxAllocationsPerUser + " per user]";
        }

        /** Named setters over the defaults (or the properties) it was made from; {@link #build} checks the whole. */
        public static final class Builder {
            private boolean enabled;
            private String realm;
            private List<String> secrets;
            private List<String> users;
            private List<InetAddress> relayAddresses;
            private int minPort;
            private int maxPort;
            private String allowPeers;
            private String denyPeers;
            private int maxAllocations;
            private int maxAllocationsPerUser;
            private int defaultLifetime;
            private int maxLifetime;
            private double unauthenticatedRate;
            private int unauthenticatedBurst;
            private int replyFactor;
            private long maxBitsPerSecond;
            private int tcpConnectTimeout;
            private int maxTcpConnections;
            private ExternalAddresses externalAddresses;

            private Builder(Function<String, String> p) {
                enabled = RelaySettings.TURN_ENABLED.read(p);
                realm = RelaySettings.TURN_REALM.read(p);
                secrets = RelaySettings.TURN_SECRETS.read(p);
                users = RelaySettings.TURN_USERS.read(p);
                relayAddresses = RelaySettings.TURN_RELAY_ADDRESS.read(p);
                minPort = RelaySettings.TURN_MIN_PORT.read(p);
                maxPort = RelaySettings.TURN_MAX_PORT.read(p);
                allowPeers = RelaySettings.TURN_ALLOW_PEERS.read(p);
                denyPeers = RelaySettings.TURN_DENY_PEERS.read(p);
                maxAllocations = RelaySettings.TURN_MAX_ALLOCATIONS.read(p);
                maxAllocationsPerUser = RelaySettings.TURN_MAX_ALLOCATIONS_PER_USER.read(p);
                defaultLifetime = RelaySettings.TURN_DEFAULT_LIFETIME.read(p);
                maxLifetime = RelaySettings.TURN_MAX_LIFETIME.read(p);
                unauthenticatedRate = RelaySettings.TURN_UNAUTHENTICATED_RATE.read(p);
                unauthenticatedBurst = RelaySettings.TURN_UNAUTHENTICATED_BURST.read(p);
                replyFactor = RelaySettings.TURN_REPLY_FACTOR.read(p);
                maxBitsPerSecond = RelaySettings.TURN_MAX_BPS.read(p);
                tcpConnectTimeout = RelaySettings.TURN_TCP_CONNECT_TIMEOUT.read(p);
                maxTcpConnections = RelaySettings.TURN_MAX_TCP_CONNECTIONS.read(p);
                externalAddresses = RelaySettings.TURN_EXTERNAL_ADDRESS.read(p);
            }

            public Builder enabled(boolean enabled) {
                this.enabled = enabled;
                return this;
            }

            public Builder realm(String realm) {
                this.realm = realm;
                return this;
            }

            public Builder secrets(List<String> secrets) {
                this.secrets = secrets;
                return this;
            }

            public Builder users(List<String> users) {
                this.users = users;
                return this;
            }

            public Builder relayAddresses(List<InetAddress> relayAddresses) {
                this.relayAddresses = relayAddresses;
                return this;
            }

            public Builder portRange(int minPort, int maxPort) {
                this.minPort = minPort;
                this.maxPort = maxPort;
                return this;
            }

            public Builder allowPeers(String cidrs) {
                this.allowPeers = cidrs;
                return this;
            }

            public Builder denyPeers(String cidrs) {
                this.denyPeers = cidrs;
                return this;
            }

            public Builder maxAllocations(int n) {
                this.maxAllocations = n;
                return this;
            }

            public Builder maxAllocationsPerUser(int n) {
                this.maxAllocationsPerUser = n;
                return this;
            }

            public Builder lifetimes(int defaultSeconds, int maxSeconds) {
                this.defaultLifetime = defaultSeconds;
                this.maxLifetime = maxSeconds;
                return this;
            }

            public Builder unauthenticatedRate(double perSecond, int burst) {
                this.unauthenticatedRate = perSecond;
                this.unauthenticatedBurst = burst;
                return this;
            }

            public Builder replyFactor(int factor) {
                this.replyFactor = factor;
                return this;
            }

            public Builder maxBitsPerSecond(long bps) {
                this.maxBitsPerSecond = bps;
                return this;
            }

            public Builder tcpConnectTimeout(int seconds) {
                this.tcpConnectTimeout = seconds;
                return this;
            }

            public Builder maxTcpConnections(int n) {
                this.maxTcpConnections = n;
                return this;
            }

            public Builder externalAddresses(ExternalAddresses addresses) {
                this.externalAddresses = addresses;
                return this;
            }

            public TurnSettings build() {
                return new TurnSettings(this);
            }
        }
    }

    public RelayConfig {
        bindAddresses = List.copyOf(Objects.requireNonNull(bindAddresses, "bindAddresses"));
        if (bindAddresses.isEmpty()) {
            throw new IllegalArgumentException("at least one bind address is required");
        }
        checkPort("udpPort", udpPort);
        checkPort("tcpPort", tcpPort);
        Objects.requireNonNull(software, "software");
        RelaySettings.SOFTWARE.parse(software);
        Objects.requireNonNull(node, "node");
        if (eventQueueCapacity <= 0) {
            throw new IllegalArgumentException("eventQueueCapacity must be positive");
        }
        if (eventLoops < 1 || eventLoops > RelaySettings.MAX_EVENT_LOOPS) {
            throw new IllegalArgumentException("eventLoops must be 1.." + RelaySettings.MAX_EVENT_LOOPS + ", got "
                    + eventLoops);
        }
        Objects.requireNonNull(turn, "turn");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(connections, "connections");
        if (tcpPort != 0 && tls.ports().contains(tcpPort)) {
            throw new IllegalArgumentException("TLS port " + tcpPort + " is also the TCP port: one listener per port");
        }
    }

    /**
     * Where relayed sockets bind: the configured relay addresses, else the first IPv4 and the first IPv6 address
     * the listeners bind to (an allocation has at most one relayed address of each family).
     */
    public List<InetAddress> relayAddresses() {
        if (!turn.relayAddresses().isEmpty()) {
            return turn.relayAddresses();
        }
        List<InetAddress> out = new ArrayList<>(2);
        bindAddresses.stream().filter(a -> a instanceof java.net.Inet4Address).findFirst().ifPresent(out::add);
        bindAddresses.stream().filter(a -> a instanceof java.net.Inet6Address).findFirst().ifPresent(out::add);
        return out;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The relay's configuration from property values: every {@link RelaySettings} setting, and from WildFly the node
     * name ({@code jboss.node.name}) and the configuration directory TLS paths are relative to
     * ({@code jboss.server.config.dir}).
     *
     * @param properties the value of a system property, or null where it is not set ({@code System::getProperty})
     * @throws IllegalArgumentException naming the property and value at fault
     */
    public static RelayConfig read(Function<String, String> properties) {
        String configDir = properties.apply("jboss.server.config.dir");
        String node = properties.apply("jboss.node.name");
        return new Builder()
                .bindAddresses(RelaySettings.BIND_ADDRESS.read(properties))
                .udpPort(RelaySettings.STUN_PORT.read(properties))
                .tcpPort(RelaySettings.STUN_TCP_PORT.read(properties))
                .software(RelaySettings.SOFTWARE.read(properties))
                .node(node == null ? "standalone" : node)
                .eventQueueCapacity(RelaySettings.EVENT_QUEUE.read(properties))
                .udpClientSockets(RelaySettings.UDP_CLIENT_SOCKETS.read(properties))
                .eventLoops(RelaySettings.EVENT_LOOPS.read(properties))
                .connections(Connections.read(properties))
                .turn(TurnSettings.read(properties))
                .tls(TlsSettings.read(properties, configDir == null ? null : Path.of(configDir)))
                .sfu(RelaySettings.sfu(properties))
                .build();
    }

    private static void checkPort(String name, int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException(name + " must be 0..65535, got " + port);
        }
    }

    public static final class Builder {
        private List<InetAddress> bindAddresses = new ArrayList<>();
        private int udpPort = RelaySettings.STUN_PORT.defaultValue();
        private int tcpPort = RelaySettings.STUN_TCP_PORT.defaultValue();
        private String software = RelaySettings.SOFTWARE.defaultValue();
        private String node = "standalone";
        private int eventQueueCapacity = RelaySettings.EVENT_QUEUE.defaultValue();
        private boolean udpClientSockets = RelaySettings.UDP_CLIENT_SOCKETS.defaultValue();
        /** One loop unless set: tests and embedders opt in to more ({@link RelaySettings#EVENT_LOOPS} for operators). */
        private int eventLoops = 1;
        private TurnSettings turn = TurnSettings.DISABLED;
        private TlsSettings tls = TlsSettings.OFF;
        private Connections connections = Connections.DEFAULTS;
        /** Off unless set, as TURN: tests and embedders opt in ({@link RelaySettings#SFU_ENABLED} for operators). */
        private SfuSettings sfu = SfuSettings.DISABLED;

        private Builder() {
        }

        public Builder sfu(SfuSettings sfu) {
            this.sfu = java.util.Objects.requireNonNull(sfu, "sfu");
            return this;
        }

        public Builder connections(Connections connections) {
            this.connections = connections;
            return this;
        }

        /** Off unless given (the operator's default is {@link RelaySettings#TURN_TLS_PORT}'s). */
        public Builder tls(TlsSettings tls) {
            this.tls = tls;
            return this;
        }

        public Builder turn(TurnSettings turn) {
            this.turn = turn;
            return this;
        }

        /**
         * Accepts a comma-separated list of IP literals, e.g. {@code 127.0.0.1,::1} (no DNS at start-up: a relay must
         * bind where the operator said).
         */
        public Builder bindAddress(String addresses) {
            this.bindAddresses = RelaySettings.BIND_ADDRESS.parse(addresses);
            return this;
        }

        public Builder bindAddresses(List<InetAddress> addresses) {
            this.bindAddresses = new ArrayList<>(addresses);
            return this;
        }

        public Builder udpPort(int port) {
            this.udpPort = port;
            return this;
        }

        public Builder tcpPort(int port) {
            this.tcpPort = port;
            return this;
        }

        public Builder software(String software) {
            this.software = software;
            return this;
        }

        public Builder node(String node) {
            this.node = node;
            return this;
        }

        public Builder udpClientSockets(boolean enabled) {
            this.udpClientSockets = enabled;
            return this;
        }

        /**
         * One loop unless given (the resource adapter's default is 0, every available processor).
         *
         * @param loops the number of event loops, or 0 for one per available processor
         */
        public Builder eventLoops(int loops) {
            this.eventLoops = loops == 0 ? Runtime.getRuntime().availableProcessors() : loops;
            return this;
        }

        public Builder eventQueueCapacity(int capacity) {
            this.eventQueueCapacity = capacity;
            return this;
        }

        public RelayConfig build() {
            return new RelayConfig(bindAddresses, udpPort, tcpPort, software, node, eventQueueCapacity,
                    udpClientSockets, eventLoops, turn, tls, connections, sfu);
        }
    }
}
