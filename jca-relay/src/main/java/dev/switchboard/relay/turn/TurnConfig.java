package dev.switchboard.relay.turn;

import dev.switchboard.relay.stun.StunAttribute;
import dev.switchboard.relay.stun.StunEncoder;
import dev.switchboard.relay.stun.StunHeader;
import dev.switchboard.relay.turn.auth.CredentialStore;
import dev.switchboard.relay.turn.auth.UnauthenticatedRateLimiter;
import dev.switchboard.relay.turn.policy.PeerPolicy;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link TurnServer} needs to know, checked once when built. Durations may be shorter than a second so tests
 * can watch things expire; LIFETIME attributes on the wire are whole seconds (rounded up).
 *
 * @param realm                       long-term credential realm (REALM), fewer than 128 characters
 * @param credentials                 long-term keys by username
 * @param peerPolicy                  which peers permissions and channels may be made for
 * @param relayAddresses              where relayed sockets bind: at most one IPv4 and one IPv6 address, not wildcards
 *                                    (the address is what XOR-RELAYED-ADDRESS tells the client, unless
 *                                    {@code externalAddresses} maps it)
 * @param minPort                     lowest relayed port
 * @param maxPort                     highest relayed port
 * @param defaultLifetime             allocation lifetime when the client asks for less or nothing (RFC 8656 §7.2)
 * @param maxLifetime                 longest allocation lifetime granted per Allocate or Refresh
 * @param permissionLifetime          how long a permission lives unless refreshed (RFC 8656 §9: 300 s, fixed)
 * @param channelLifetime             how long a channel binding lives unless refreshed (RFC 8656 §12: 600 s)
 * @param nonceLifetime               how long a NONCE stays valid before 438 Stale Nonce
 * @param reservationLifetime         how long an EVEN-PORT reservation (RESERVATION-TOKEN) is held (at least 30 s)
 * @param maxAllocations              allocations in total; beyond it 486
 * @param maxAllocationsPerUser       allocations per username; beyond it 486
 * @param maxPermissionsPerAllocation permissions per allocation; beyond it 508
 * @param maxChannelsPerAllocation    channel bindings per allocation; beyond it 508
 * @param maxChannelNumber            highest CHANNEL-NUMBER accepted: {@link #RFC5766_MAX_CHANNEL} (the default) or
 *                                    {@link #RFC8656_MAX_CHANNEL}. RFC 8656 narrowed the range to 0x4000–0x4FFF, but
 *                                    coturn's clients (turnutils_uclient among them) still pick numbers up to 0x7FFF,
 *                                    as RFC 5766 allowed, and coturn's server accepts them
 * @param maxTrackedPeers             peer addresses an allocation remembers for {@link TurnObserver} (then truncated)
 * @param software                    SOFTWARE in responses, fewer than 128 characters
 * @param relayReceiveBufferSize      SO_RCVBUF of each relayed socket; small, as there is one per allocation
 * @param relaySendBufferSize         SO_SNDBUF of each relayed socket
 * @param observer                    told of every allocation's start and end; must not block
 * @param unauthenticatedRate         replies per second to requests that are not (yet) authenticated, per source
 *                                    IP (IPv6: per /64), over every transport: Binding, 401/438 challenges, 400s and
 *                                    420s sent before MESSAGE-INTEGRITY checked out. A request finding no token is
 *                                    dropped unanswered ({@link TurnStats#rateLimited()}); authenticated requests
 *                                    and relayed data are never limited. 0 turns the limit off. Default
 *                                    {@value #DEFAULT_UNAUTHENTICATED_RATE}: a client costs 1 to 3 tokens to get
 *                                    going (Binding, 401, now and then a 438) and a browser keeps a server-reflexive
 *                                    candidate alive with a Binding every 10 s, so this serves a couple of thousand
 *                                    browsers behind one NAT address, while one source cannot get more than this
 *                                    many replies reflected at it (see {@link #unauthenticatedReplyFactor})
 * @param unauthenticatedBurst        tokens a quiet source starts with. Default
 *                                    {@value #DEFAULT_UNAUTHENTICATED_BURST}: {@code turnutils_uclient -m 50}
 *                                    opens 50 clients at once, 100 with their RTCP allocations, each earning a 401,
 *                                    and several such runs, or an office joining a call at 9:00, come from one IP
 * @param rateLimiterCapacity         sources the rate limiter tracks (a fixed table of about 25 bytes each, per event
 *                                    loop). When full, the bucket closest to full is recycled, which only ever errs
 *                                    towards answering. Default {@value #DEFAULT_RATE_LIMITER_CAPACITY}: at 200
 *                                    replies per second a throttled source keeps its slot for at most 2 s, so
 *                                    exhausting the table takes more packets per second than one loop can read
 * @param unauthenticatedReplyFactor  anti-amplification over UDP, where the source address of an unauthenticated
 *                                    request may be spoofed: a reply to such a request may be at most this many
 *                                    times the size of the request's datagram (STUN bytes, i.e. UDP payload). A
 *                                    reply that would be larger is first shrunk (SOFTWARE left out, an empty ERROR-CODE
 *                                    reason phrase, FINGERPRINT only when the request had one; REALM and NONCE kept,
 *                                    the client needs them) and, if it still does not fit, not sent
 *                                    ({@link TurnStats#amplificationDropped()}). Replies over TCP and TLS are never
 *                                    shrunk or dropped for size: their handshake proves the source. 0 turns the limit
 *                                    off;
 *                                    {@value #STRICT_REPLY_FACTOR} means no reply is ever larger than its request.
 *                                    <p>Strict is not the default because real clients cannot get through it: the
 *                                    smallest complete answers are larger than the smallest requests clients send.
 *                                    Measured with realm "switchboard" and the 32-character nonce: libwebrtc
 *                                    (Chrome, Edge, Safari) sends a 28-byte first Allocate (REQUESTED-TRANSPORT
 *                                    only), and the smallest possible 401 (ERROR-CODE without reason, REALM, NONCE)
 *                                    is 80 bytes; Firefox (REQUESTED-TRANSPORT, LIFETIME, FINGERPRINT) sends 44 and
 *                                    needs 88; turnutils_uclient (REQUESTED-TRANSPORT, LIFETIME, EVEN-PORT,
 *                                    FINGERPRINT) sends 52 and needs 88. A Binding request from libwebrtc is 20
 *                                    bytes, and its answer at least 32 (IPv4) or 44 (IPv6). With strict, none of
 *                                    them gets a 401 or a server-reflexive address over UDP: they work over TCP only.
 *                                    Default {@value #DEFAULT_UNAUTHENTICATED_REPLY_FACTOR}: every one of them gets a
 *                                    complete answer with SOFTWARE "Switchboard" (the largest ratios: libwebrtc's 401,
 *                                    112 bytes for 28, and an IPv6 Binding with SOFTWARE and FINGERPRINT, 68 for 20),
 *                                    a longer SOFTWARE or realm only gets shrunk answers (a realm of up to 44 bytes
 *                                    still reaches libwebrtc), and together with the rate limit a reflector turns an
 *                                    attacker's bytes into at most 4 times as many, and at most
 *                                    {@code unauthenticatedRate} replies per second towards any one victim (about
 *                                    22 KB/s)
 * @param maxBitsPerSecond            bandwidth cap of each allocation, per direction (client to peers, peers to
 *                                    client), in bits per second of relayed payload; beyond it data is dropped, as
 *                                    a congested network would, with a burst allowance of one second's worth. 0
 *                                    for none. Default {@value #DEFAULT_MAX_BITS_PER_SECOND}: room for a 1080p
 *                                    simulcast sender plus a screen share, while one allocation cannot take a
 *                                    server's uplink
 * @param tcpConnectTimeout           how long a Connect (RFC 6062 §5.2) waits for the peer's TCP handshake before
 *                                    447; the RFC asks for at least 30 s, the default
 * @param tcpBindTimeout              how long a peer data connection waits for its ConnectionBind before it is
 *                                    closed (RFC 6062 §5.2, §5.3: 30 s, the default; shorter only for tests)
 * @param maxTcpConnectionsPerAllocation peer data connections (connecting, waiting for a ConnectionBind, or bound)
 *                                    per TCP allocation; beyond it a Connect gets 508 and a peer's connection is
 *                                    closed at once
 * @param externalAddresses           the relay's public addresses behind a 1:1 NAT, advertised instead of the relay
 *                                    addresses its sockets bind to ({@link ExternalAddresses#NONE}: none); every
 *                                    mapping must match a relay address
 * @param serviceAddresses            the server's own listeners that allocations may reach besides relayed ports:
 *                                    the SFU's UDP address(es) and port, so a peer that can only relay joins an SFU
 *                                    room through this TURN server; none by default
 */
public record TurnConfig(String realm, CredentialStore credentials, PeerPolicy peerPolicy,
                         List<InetAddress> relayAddresses, int minPort, int maxPort,
                         Duration defaultLifetime, Duration maxLifetime, Duration permissionLifetime,
                         Duration channelLifetime, Duration nonceLifetime, Duration reservationLifetime,
                         int maxAllocations, int maxAllocationsPerUser, int maxPermissionsPerAllocation,
                         int maxChannelsPerAllocation, int maxChannelNumber, int maxTrackedPeers, String software,
                         int relayReceiveBufferSize, int relaySendBufferSize, TurnObserver observer,
                         double unauthenticatedRate, int unauthenticatedBurst, int rateLimiterCapacity,
                         int unauthenticatedReplyFactor, long maxBitsPerSecond, Duration tcpConnectTimeout,
                         Duration tcpBindTimeout, int maxTcpConnectionsPerAllocation,
                         ExternalAddresses externalAddresses, List<InetSocketAddress> serviceAddresses) {

    // The defaults below are also the operator's (RelaySettings declares the system properties with these values).
    public static final String DEFAULT_REALM = "switchboard";
    public static final String DEFAULT_SOFTWARE = "Switchboard";
    public static final int DEFAULT_MIN_PORT = 49152;
    public static final int DEFAULT_MAX_PORT = 65535;
    /** RFC 8656 §12: channel numbers 0x4000 through 0x4FFF. */
    public static final int RFC8656_MAX_CHANNEL = 0x4FFF;
    /** RFC 5766 §11: channel numbers 0x4000 through 0x7FFF. */
    public static final int RFC5766_MAX_CHANNEL = 0x7FFF;
    public static final Duration DEFAULT_LIFETIME = Duration.ofSeconds(600);
    public static final Duration DEFAULT_MAX_LIFETIME = Duration.ofSeconds(3600);
    public static final int DEFAULT_MAX_ALLOCATIONS = 10_000;
    public static final int DEFAULT_MAX_ALLOCATIONS_PER_USER = 100;
    public static final int DEFAULT_UNAUTHENTICATED_RATE = 200;
    public static final int DEFAULT_UNAUTHENTICATED_BURST = 400;
    public static final int DEFAULT_RATE_LIMITER_CAPACITY = 16_384;
    /** Replies to unauthenticated UDP requests at most 4 times the request (see {@link #unauthenticatedReplyFactor}). */
    public static final int DEFAULT_UNAUTHENTICATED_REPLY_FACTOR = 4;
    public static final long DEFAULT_MAX_BITS_PER_SECOND = 16_000_000L;
    /** libwebrtc's (Chrome, Edge, Safari) first Allocate: REQUESTED-TRANSPORT only, the smallest a browser sends. */
    public static final int BROWSER_FIRST_ALLOCATE = 28;
    /** No reply to an unauthenticated UDP request larger than the request: locks out browsers over UDP. */
    public static final int STRICT_REPLY_FACTOR = 1;
    /** RFC 6062 §5.2: wait at least 30 s for a peer to accept a Connect. */
    public static final Duration DEFAULT_TCP_CONNECT_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_TCP_CONNECTIONS_PER_ALLOCATION = 64;

    public TurnConfig {
        Objects.requireNonNull(realm, "realm");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(peerPolicy, "peerPolicy");
        Objects.requireNonNull(software, "software");
        Objects.requireNonNull(observer, "observer");
        if (realm.isBlank()) {
            throw new IllegalArgumentException("realm must not be empty");
        }
        StunEncoder.checkText(StunAttribute.REALM, realm.getBytes(StandardCharsets.UTF_8));
        StunEncoder.checkText(StunAttribute.SOFTWARE, software.getBytes(StandardCharsets.UTF_8));
        relayAddresses = List.copyOf(relayAddresses);
        if (relayAddresses.isEmpty()) {
            throw new IllegalArgumentException("at least one relay address is needed");
        }
        int v4 = 0;
        int v6 = 0;
        for (InetAddress address : relayAddresses) {
            if (address.isAnyLocalAddress()) {
                // The relayed address is sent to the client, and a wildcard tells it nothing it can give its peers.
                throw new IllegalArgumentException("relay address must be a specific address, not " + address);
            }
            if (address instanceof Inet4Address) {
                v4++;
            } else if (address instanceof Inet6Address) {
                v6++;
            }
        }
        if (v4 > 1 || v6 > 1) {
            throw new IllegalArgumentException("at most one IPv4 and one IPv6 relay address: " + relayAddresses);
        }
        externalAddresses = Objects.requireNonNull(externalAddresses, "externalAddresses").resolve(relayAddresses);
        serviceAddresses = List.copyOf(serviceAddresses);
        if (minPort < 1 || maxPort > 65_535 || minPort > maxPort) {
            throw new IllegalArgumentException("relay ports must satisfy 1 <= min <= max <= 65535, got "
                    + minPort + ".." + maxPort);
        }
        positive("defaultLifetime", defaultLifetime);
        positive("maxLifetime", maxLifetime);
        positive("permissionLifetime", permissionLifetime);
        positive("channelLifetime", channelLifetime);
        positive("nonceLifetime", nonceLifetime);
        positive("reservationLifetime", reservationLifetime);
        if (maxLifetime.compareTo(defaultLifetime) < 0) {
            throw new IllegalArgumentException("maxLifetime must not be shorter than defaultLifetime");
        }
        if (maxAllocations <= 0 || maxAllocationsPerUser <= 0 || maxPermissionsPerAllocation <= 0
                || maxChannelsPerAllocation <= 0) {
            throw new IllegalArgumentException("quotas must be positive");
        }
        if (maxChannelNumber != RFC8656_MAX_CHANNEL && maxChannelNumber != RFC5766_MAX_CHANNEL) {
            throw new IllegalArgumentException("maxChannelNumber must be 0x4FFF (RFC 8656) or 0x7FFF (RFC 5766)");
        }
        if (maxTrackedPeers < 0) {
            throw new IllegalArgumentException("maxTrackedPeers must not be negative");
        }
        if (relayReceiveBufferSize < 0 || relaySendBufferSize < 0) {
            throw new IllegalArgumentException("buffer sizes must be 0 (system default) or positive");
        }
        if (Double.isNaN(unauthenticatedRate) || unauthenticatedRate < 0) {
            throw new IllegalArgumentException("unauthenticatedRate must be 0 (no limit) or a positive number of "
                    + "replies per second, got " + unauthenticatedRate);
        }
        if (unauthenticatedRate > 0) {
            try {
                UnauthenticatedRateLimiter.check(unauthenticatedRate, unauthenticatedBurst, rateLimiterCapacity);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unauthenticated rate limit: " + e.getMessage(), e);
            }
        }
        positive("tcpConnectTimeout", tcpConnectTimeout);
        positive("tcpBindTimeout", tcpBindTimeout);
        if (maxTcpConnectionsPerAllocation <= 0) {
            throw new IllegalArgumentException("maxTcpConnectionsPerAllocation must be positive");
        }
        if (unauthenticatedReplyFactor < 0) {
            throw new IllegalArgumentException("unauthenticatedReplyFactor must be 0 (no limit) or at least 1, got "
                    + unauthenticatedReplyFactor);
        }
        if (maxBitsPerSecond < 0) {
            throw new IllegalArgumentException("maxBitsPerSecond must be 0 (no cap) or positive, got "
                    + maxBitsPerSecond);
        }
    }

    /**
     * Bytes of the smallest 401 this configuration can send: ERROR-CODE without reason phrase, REALM and NONCE,
     * nothing else (what a reply shrunk for the {@link #unauthenticatedReplyFactor} looks like).
     */
    public int smallestChallenge() {
        int realmBytes = realm.getBytes(StandardCharsets.UTF_8).length;
        return StunHeader.LENGTH + 8 + 4 + ((realmBytes + 3) & ~3) + 4 + ((StatelessNonces.LENGTH + 3) & ~3);
    }

    /**
     * False when the {@link #unauthenticatedReplyFactor} keeps browsers from their 401 over UDP: libwebrtc's first
     * Allocate is {@value #BROWSER_FIRST_ALLOCATE} bytes. They would then reach the relay over TCP and TLS only.
     */
    public boolean browsersGetTheirChallengeOverUdp() {
        return unauthenticatedReplyFactor == 0
                || smallestChallenge() <= (long) unauthenticatedReplyFactor * BROWSER_FIRST_ALLOCATE;
    }

    /** True when unauthenticated requests are rate-limited per source. */
    public boolean hasRateLimit() {
        return unauthenticatedRate > 0;
    }

    private static void positive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }

    /** The relay address of a family, or {@code null} when none is configured. */
    public InetAddress relayAddress(boolean ipv6) {
        for (InetAddress address : relayAddresses) {
            if ((address instanceof Inet6Address) == ipv6) {
                return address;
            }
        }
        return null;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Defaults as RFC 8656 recommends; realm, credentials and relay addresses are the caller's to set. */
    public static final class Builder {
        private String realm = DEFAULT_REALM;
        private CredentialStore credentials = CredentialStore.NONE;
        private PeerPolicy peerPolicy;
        private final List<InetAddress> relayAddresses = new ArrayList<>();
        private int minPort = DEFAULT_MIN_PORT;
        private int maxPort = DEFAULT_MAX_PORT;
        private Duration defaultLifetime = DEFAULT_LIFETIME;
        private Duration maxLifetime = DEFAULT_MAX_LIFETIME;
        private Duration permissionLifetime = Duration.ofSeconds(300);
        private Duration channelLifetime = Duration.ofSeconds(600);
        private Duration nonceLifetime = Duration.ofSeconds(600);
        private Duration reservationLifetime = Duration.ofSeconds(30);
        private int maxAllocations = DEFAULT_MAX_ALLOCATIONS;
        private int maxAllocationsPerUser = DEFAULT_MAX_ALLOCATIONS_PER_USER;
        private int maxPermissionsPerAllocation = 256;
        private int maxChannelsPerAllocation = 256;
        private int maxChannelNumber = RFC5766_MAX_CHANNEL;
        private int maxTrackedPeers = 32;
        private String software = DEFAULT_SOFTWARE;
        private int relayReceiveBufferSize = 256 << 10;
        private int relaySendBufferSize = 256 << 10;
        private TurnObserver observer = TurnObserver.NONE;
        private double unauthenticatedRate = DEFAULT_UNAUTHENTICATED_RATE;
        private int unauthenticatedBurst = DEFAULT_UNAUTHENTICATED_BURST;
        private int rateLimiterCapacity = DEFAULT_RATE_LIMITER_CAPACITY;
        private int unauthenticatedReplyFactor = DEFAULT_UNAUTHENTICATED_REPLY_FACTOR;
        private long maxBitsPerSecond = DEFAULT_MAX_BITS_PER_SECOND;
        private Duration tcpConnectTimeout = DEFAULT_TCP_CONNECT_TIMEOUT;
        private Duration tcpBindTimeout = Duration.ofSeconds(30);
        private int maxTcpConnectionsPerAllocation = DEFAULT_MAX_TCP_CONNECTIONS_PER_ALLOCATION;
        private ExternalAddresses externalAddresses = ExternalAddresses.NONE;
        private List<InetSocketAddress> serviceAddresses = List.of();

        private Builder() {
        }

        public Builder realm(String realm) {
            this.realm = realm;
            return this;
        }

        public Builder credentials(CredentialStore credentials) {
            this.credentials = credentials;
            return this;
        }

        /** Required: there is no default, so that "allow everything" is never an accident. */
        public Builder peerPolicy(PeerPolicy peerPolicy) {
            this.peerPolicy = peerPolicy;
            return this;
        }

        public Builder relayAddress(InetAddress address) {
            relayAddresses.add(Objects.requireNonNull(address, "address"));
            return this;
        }

        public Builder relayAddresses(List<InetAddress> addresses) {
            relayAddresses.clear();
            relayAddresses.addAll(addresses);
            return this;
        }

        public Builder portRange(int min, int max) {
            this.minPort = min;
            this.maxPort = max;
            return this;
        }

        public Builder defaultLifetime(Duration d) {
            this.defaultLifetime = d;
            return this;
        }

        public Builder maxLifetime(Duration d) {
            this.maxLifetime = d;
            return this;
        }

        public Builder permissionLifetime(Duration d) {
            this.permissionLifetime = d;
            return this;
        }

        public Builder channelLifetime(Duration d) {
            this.channelLifetime = d;
            return this;
        }

        public Builder nonceLifetime(Duration d) {
            this.nonceLifetime = d;
            return this;
        }

        public Builder reservationLifetime(Duration d) {
            this.reservationLifetime = d;
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

        public Builder maxPermissionsPerAllocation(int n) {
            this.maxPermissionsPerAllocation = n;
            return this;
        }

        public Builder maxChannelsPerAllocation(int n) {
            this.maxChannelsPerAllocation = n;
            return this;
        }

        /** {@link #RFC8656_MAX_CHANNEL} for strict RFC 8656, {@link #RFC5766_MAX_CHANNEL} (default) for coturn's clients. */
        public Builder maxChannelNumber(int n) {
            this.maxChannelNumber = n;
            return this;
        }

        public Builder maxTrackedPeers(int n) {
            this.maxTrackedPeers = n;
            return this;
        }

        public Builder software(String software) {
            this.software = software;
            return this;
        }

        public Builder relayBufferSizes(int receive, int send) {
            this.relayReceiveBufferSize = receive;
            this.relaySendBufferSize = send;
            return this;
        }

        public Builder observer(TurnObserver observer) {
            this.observer = observer;
            return this;
        }

        /** Replies per second per source to unauthenticated requests; 0 for no limit (default 200). */
        public Builder unauthenticatedRate(double perSecond) {
            this.unauthenticatedRate = perSecond;
            return this;
        }

        /** Tokens a quiet source starts with (default 400). */
        public Builder unauthenticatedBurst(int burst) {
            this.unauthenticatedBurst = burst;
            return this;
        }

        /** Sources the rate limiter tracks per event loop, 8..16777216 (default 16384). */
        public Builder rateLimiterCapacity(int sources) {
            this.rateLimiterCapacity = sources;
            return this;
        }

        /**
         * Largest reply to an unauthenticated UDP request as a multiple of its size: {@link #STRICT_REPLY_FACTOR} (1)
         * for never larger, 0 for no limit; default {@link #DEFAULT_UNAUTHENTICATED_REPLY_FACTOR} (4). See the
         * record's documentation for what strict costs.
         */
        public Builder unauthenticatedReplyFactor(int factor) {
            this.unauthenticatedReplyFactor = factor;
            return this;
        }

        /** Bandwidth cap per allocation and direction in bits/s; 0 for none. */
        public Builder maxBitsPerSecond(long bps) {
            this.maxBitsPerSecond = bps;
            return this;
        }

        /** How long a Connect waits for the peer (default 30 s, the least RFC 6062 allows). */
        public Builder tcpConnectTimeout(Duration d) {
            this.tcpConnectTimeout = d;
            return this;
        }

        /** How long a peer data connection waits for its ConnectionBind (RFC 6062: 30 s; shorter for tests). */
        public Builder tcpBindTimeout(Duration d) {
            this.tcpBindTimeout = d;
            return this;
        }

        /** Peer data connections per TCP allocation (default 64). */
        public Builder maxTcpConnectionsPerAllocation(int n) {
            this.maxTcpConnectionsPerAllocation = n;
            return this;
        }

        /** The relay's public addresses behind a 1:1 NAT (default none). */
        public Builder serviceAddresses(List<InetSocketAddress> addresses) {
            this.serviceAddresses = addresses;
            return this;
        }

        public Builder externalAddresses(ExternalAddresses addresses) {
            this.externalAddresses = addresses;
            return this;
        }

        public TurnConfig build() {
            return new TurnConfig(realm, credentials, Objects.requireNonNull(peerPolicy, "peerPolicy"),
                    relayAddresses, minPort, maxPort, defaultLifetime, maxLifetime, permissionLifetime,
                    channelLifetime, nonceLifetime, reservationLifetime, maxAllocations, maxAllocationsPerUser,
                    maxPermissionsPerAllocation, maxChannelsPerAllocation, maxChannelNumber, maxTrackedPeers,
                    software, relayReceiveBufferSize, relaySendBufferSize, observer, unauthenticatedRate,
                    unauthenticatedBurst, rateLimiterCapacity, unauthenticatedReplyFactor, maxBitsPerSecond,
                    tcpConnectTimeout, tcpBindTimeout, maxTcpConnectionsPerAllocation, externalAddresses,
                    serviceAddresses);
        }
    }
}
