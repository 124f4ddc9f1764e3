package dev.switchboard.relay.server;

import dev.switchboard.relay.transport.TcpOptions;
import dev.switchboard.relay.turn.ExternalAddresses;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The relay's settings, validated once at start. The resource adapter fills it from its config properties
 * (system-property expressions in {@code ironjacamar.xml}); tests build it directly.
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
 */
public record RelayConfig(List<InetAddress> bindAddresses, int udpPort, int tcpPort, String software, String node,
                          int eventQueueCapacity, boolean udpClientSockets, int eventLoops, TurnSettings turn,
                          TlsSettings tls, Connections connections) {

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

        public static final Connections DEFAULTS = new Connections(TcpOptions.DEFAULT_MAX_CONNECTIONS,
                TcpOptions.DEFAULT_MAX_CONNECTIONS_PER_SOURCE, TcpOptions.DEFAULT_FIRST_MESSAGE_TIMEOUT,
                TcpOptions.DEFAULT_IDLE_TIMEOUT);

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
     * TURN as the operator configures it (parsed and checked again by the TURN server, which owns the meaning).
     *
     * @param enabled               false: Binding only
     * @param realm                 the long-term credential realm
     * @param secrets               TURN REST-API shared secrets, newest first (several at once for rotation)
     * @param users                 static users, {@code user:password} or {@code user:0x<HA1 hex>}
     * @param relayAddresses        where relayed sockets bind; empty means the bind addresses
     * @param minPort               lowest relayed port
     * @param maxPort               highest relayed port
     * @param allowPeers            CIDRs that re-open denied peer ranges (e.g. loopback for tests)
     * @param denyPeers             CIDRs denied in addition to the built-in deny-list
     * @param maxAllocations        allocations in total
     * @param maxAllocationsPerUser allocations per username
     * @param defaultLifetime       allocation lifetime granted by default, seconds
     * @param maxLifetime           longest allocation lifetime granted, seconds
     * @param unauthenticatedRate   replies per second per source IP to not-yet-authenticated requests (0 = off)
     * @param unauthenticatedBurst  tokens a quiet source starts with
     * @param replyFactor           largest reply to an unauthenticated UDP request, as a multiple of its size
     *                              (1 strict, 0 off)
     * @param maxBitsPerSecond      bandwidth cap per allocation and direction, bits/s of payload (0 = none)
     * @param tcpConnectTimeout     seconds a Connect (RFC 6062) waits for the peer before 447
     * @param maxTcpConnections     peer data connections per TCP allocation (RFC 6062)
     * @param externalAddresses     public addresses behind a 1:1 NAT, advertised instead of the relay addresses
     */
    public record TurnSettings(boolean enabled, String realm, List<String> secrets, List<String> users,
                               List<InetAddress> relayAddresses, int minPort, int maxPort, String allowPeers,
                               String denyPeers, int maxAllocations, int maxAllocationsPerUser, int defaultLifetime,
                               int maxLifetime, double unauthenticatedRate, int unauthenticatedBurst,
                               int replyFactor, long maxBitsPerSecond, int tcpConnectTimeout,
                               int maxTcpConnections, ExternalAddresses externalAddresses) {

        public static final TurnSettings DISABLED = new TurnSettings(false, "switchboard", List.of(), List.of(),
                List.of(), 49152, 65535, "", "", 10_000, 100, 600, 3600, 200, 400, 4, 16_000_000L, 30, 64,
                ExternalAddresses.NONE);

        public TurnSettings {
            Objects.requireNonNull(realm, "realm");
            secrets = List.copyOf(secrets);
            users = List.copyOf(users);
            relayAddresses = List.copyOf(relayAddresses);
            Objects.requireNonNull(externalAddresses, "externalAddresses");
            if (enabled && realm.isBlank()) {
                throw new IllegalArgumentException("TURN realm must not be empty");
            }
            if (minPort < 1 || maxPort > 65_535 || minPort > maxPort) {
                throw new IllegalArgumentException("TURN relay ports must satisfy 1 <= min <= max <= 65535, got "
                        + minPort + ".." + maxPort);
            }
            if (maxAllocations <= 0 || maxAllocationsPerUser <= 0) {
                throw new IllegalArgumentException("TURN allocation quotas must be positive");
            }
            if (defaultLifetime <= 0 || maxLifetime < defaultLifetime) {
                throw new IllegalArgumentException("TURN lifetimes must satisfy 0 < default <= max");
            }
            if (maxBitsPerSecond < 0) {
                throw new IllegalArgumentException("TURN bandwidth cap must be 0 (none) or positive bits/s");
            }
            if (tcpConnectTimeout <= 0 || maxTcpConnections <= 0) {
                throw new IllegalArgumentException("TURN TCP connect timeout and connection limit must be positive");
            }
        }

        /** Splits a comma-separated list, trimming and dropping empty entries. */
        public static List<String> list(String value) {
            List<String> out = new ArrayList<>();
            for (String part : (value == null ? "" : value).split(",")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
            return out;
        }
    }

    public static final String DEFAULT_BIND_ADDRESS = "127.0.0.1";
    public static final int DEFAULT_STUN_PORT = 3478;
    public static final String DEFAULT_SOFTWARE = "Switchboard";
    public static final int DEFAULT_EVENT_QUEUE_CAPACITY = 65_536;
    /** More loops than this buys nothing but sockets and threads. */
    public static final int MAX_EVENT_LOOPS = 256;

    public RelayConfig {
        bindAddresses = List.copyOf(Objects.requireNonNull(bindAddresses, "bindAddresses"));
        if (bindAddresses.isEmpty()) {
            throw new IllegalArgumentException("at least one bind address is required");
        }
        checkPort("udpPort", udpPort);
        checkPort("tcpPort", tcpPort);
        Objects.requireNonNull(software, "software");
        if (software.length() >= 128) {
            throw new IllegalArgumentException("software must be shorter than 128 characters (RFC 8489 §14.14)");
        }
        Objects.requireNonNull(node, "node");
        if (eventQueueCapacity <= 0) {
            throw new IllegalArgumentException("eventQueueCapacity must be positive");
        }
        if (eventLoops < 1 || eventLoops > MAX_EVENT_LOOPS) {
            throw new IllegalArgumentException("eventLoops must be 1.." + MAX_EVENT_LOOPS + ", got " + eventLoops);
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

    /** Parses a port property; 0 means "disabled". */
    public static int parsePort(String name, String value) {
        int port = parseInt(name, value);
        checkPort(name, port);
        return port;
    }

    public static int parsePositive(String name, String value) {
        int n = parseInt(name, value);
        if (n <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + n);
        }
        return n;
    }

    public static int parseNonNegative(String name, String value) {
        int n = parseInt(name, value);
        if (n < 0) {
            throw new IllegalArgumentException(name + " must not be negative, got " + n);
        }
        return n;
    }

    private static int parseInt(String name, String value) {
        try {
            return Integer.parseInt(value == null ? "" : value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " is not a number: '" + value + "'");
        }
    }

    private static void checkPort(String name, int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException(name + " must be 0..65535, got " + port);
        }
    }

    public static final class Builder {
        private List<InetAddress> bindAddresses = new ArrayList<>();
        private int udpPort = DEFAULT_STUN_PORT;
        private int tcpPort = DEFAULT_STUN_PORT;
        private String software = DEFAULT_SOFTWARE;
        private String node = "standalone";
        private int eventQueueCapacity = DEFAULT_EVENT_QUEUE_CAPACITY;
        private boolean udpClientSockets = true;
        private int eventLoops = 1;
        private TurnSettings turn = TurnSettings.DISABLED;
        private TlsSettings tls = TlsSettings.OFF;
        private Connections connections = Connections.DEFAULTS;

        private Builder() {
        }

        public Builder connections(Connections connections) {
            this.connections = connections;
            return this;
        }

        /** Off unless given (the resource adapter's default is {@link TlsSettings#DEFAULT_PORT}). */
        public Builder tls(TlsSettings tls) {
            this.tls = tls;
            return this;
        }

        public Builder turn(TurnSettings turn) {
            this.turn = turn;
            return this;
        }

        /** Parses a comma-separated list of IP literals (no DNS), e.g. for relay addresses. */
        public static List<InetAddress> addresses(String addresses) {
            List<InetAddress> parsed = new ArrayList<>();
            for (String part : TurnSettings.list(addresses)) {
                InetAddress a = parseAddress(part);
                if (!parsed.contains(a)) {
                    parsed.add(a);
                }
            }
            return parsed;
        }

        /**
         * Accepts a comma-separated list of IP literals, e.g. {@code 127.0.0.1,::1} (no DNS at start-up: a relay must
         * bind where the operator said).
         */
        public Builder bindAddress(String addresses) {
            List<InetAddress> parsed = addresses(addresses);
            if (parsed.isEmpty()) {
                throw new IllegalArgumentException("bindAddress is empty");
            }
            this.bindAddresses = parsed;
            return this;
        }

        private static InetAddress parseAddress(String address) {
            String a = address;
            if (a.startsWith("[") && a.endsWith("]")) {
                a = a.substring(1, a.length() - 1);
            }
            // Only literals reach InetAddress: with a ':' it parses IPv6 itself, and a valid dotted quad never
            // triggers a DNS lookup either.
            boolean ipv6 = a.contains(":") && a.matches("[0-9a-fA-F:.%a-zA-Z0-9]+");
            if (!ipv6 && !isDottedQuad(a)) {
                throw new IllegalArgumentException("bindAddress must be an IP address, got '" + address + "'");
            }
            try {
                return InetAddress.getByName(a);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("bindAddress is not an IP address: '" + address + "'");
            }
        }

        private static boolean isDottedQuad(String a) {
            String[] parts = a.split("\\.", -1);
            if (parts.length != 4) {
                return false;
            }
            for (String p : parts) {
                if (!p.matches("[0-9]{1,3}") || Integer.parseInt(p) > 255) {
                    return false;
                }
            }
            return true;
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
                    udpClientSockets, eventLoops, turn, tls, connections);
        }
    }
}
