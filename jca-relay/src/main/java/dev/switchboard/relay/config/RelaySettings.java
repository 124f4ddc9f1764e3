package dev.switchboard.relay.config;

import dev.switchboard.relay.sfu.SfuSettings;
import dev.switchboard.relay.sfu.dtls.DtlsSettings;
import dev.switchboard.relay.stun.StunAttribute;
import dev.switchboard.relay.stun.StunEncoder;
import dev.switchboard.relay.transport.TcpOptions;
import dev.switchboard.relay.transport.TlsContext;
import dev.switchboard.relay.turn.ExternalAddresses;
import dev.switchboard.relay.turn.TurnConfig;
import dev.switchboard.relay.turn.policy.Cidr;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * Every operator setting of the relay, each declared once: its system property, default, parsing and checks, and a
 * line on what it does. {@code RelayConfig.read} builds the relay's configuration through these; the resource
 * adapter reads the system properties through them (it has no config-properties of its own); README's
 * Configuration table is checked against them ({@code RelaySettingsReadmeTest}). A default that a lower layer owns
 * together with its rationale (the TURN server's, the TCP transport's) is taken from that layer's constant, so the
 * value is still written once.
 *
 * <p>To add a setting: declare it here and add it to {@link #ALL}, read it where the configuration is built
 * ({@code RelayConfig.read}), and add its README row (the test prints the row it expects).
 *
 * <p>Checks that involve two settings (min-port at most max-port, the TLS port not the TCP port, certificate and
 * key together) stay with the configuration objects that hold both.
 */
public final class RelaySettings {

    private RelaySettings() {
    }

    /** RFC 8489 §18.6: the default port of STUN and TURN over UDP and TCP. */
    private static final String STUN_PORT_DEFAULT = "3478";
    /** The file the build generates (self-signed, for development) and the Elytron key-store points at. */
    private static final String KEY_STORE_DEFAULT = "switchboard-tls.p12";

    // Listeners

    public static final Setting<List<InetAddress>> BIND_ADDRESS = Setting.of("switchboard.bind.address",
            "127.0.0.1", Values.addresses(true),
            "IP addresses the relay listens on, comma-separated; one UDP and one TCP listener per address");

    public static final Setting<Integer> STUN_PORT = Setting.of("switchboard.stun.port", STUN_PORT_DEFAULT,
            Values.port(), "STUN/TURN UDP port (0 turns the UDP listener off)");

    public static final Setting<Integer> STUN_TCP_PORT = Setting.of("switchboard.stun.tcp.port", STUN_PORT_DEFAULT,
            Values.port(), "STUN/TURN TCP port (0 turns the TCP listener off)");

    public static final Setting<List<Integer>> TURN_TLS_PORT = Setting.of("switchboard.turn.tls.port", "5349",
            Values.ports(), "STUN/TURN over TLS ports, comma-separated (0 turns TLS off)");

    public static final Setting<String> SOFTWARE = Setting.of("switchboard.software", TurnConfig.DEFAULT_SOFTWARE,
            stunText(StunAttribute.SOFTWARE, false), "SOFTWARE attribute in STUN responses");

    public static final Setting<Integer> EVENT_QUEUE = Setting.of("switchboard.relay.event-queue", "65536",
            Values.integer(1, Integer.MAX_VALUE), "relay events buffered towards the MDBs before new ones are dropped");

    public static final Setting<Boolean> UDP_CLIENT_SOCKETS = Setting.of("switchboard.relay.udp-client-sockets",
            "true", Values.bool(), "a TURN allocation over UDP gets a socket of its own, connected to its client");

    /** More loops than this buys nothing but sockets and threads. */
    public static final int MAX_EVENT_LOOPS = 256;

    public static final Setting<Integer> EVENT_LOOPS = Setting.of("switchboard.relay.event-loops", "0",
                    Values.integer(0, MAX_EVENT_LOOPS), "event loops serving the listeners (0: one per processor)")
            .shownAs("`0` (one per available processor)");

    // TCP and TLS connections

    public static final Setting<Integer> MAX_CONNECTIONS = Setting.of("switchboard.relay.max-connections",
            Integer.toString(TcpOptions.DEFAULT_MAX_CONNECTIONS), Values.integer(1, Integer.MAX_VALUE),
            "open TCP and TLS connections in total, across every listener");

    public static final Setting<Integer> MAX_CONNECTIONS_PER_SOURCE = Setting.of(
            "switchboard.relay.max-connections-per-source",
            Integer.toString(TcpOptions.DEFAULT_MAX_CONNECTIONS_PER_SOURCE), Values.integer(1, Integer.MAX_VALUE),
            "open TCP and TLS connections from one IPv4 address or IPv6 /64");

    public static final Setting<Duration> TCP_FIRST_MESSAGE_TIMEOUT = Setting.of(
            "switchboard.relay.tcp.first-message-timeout", seconds(TcpOptions.DEFAULT_FIRST_MESSAGE_TIMEOUT),
            Values.seconds(), "seconds from accepting a TCP/TLS connection to its first whole STUN message");

    public static final Setting<Duration> TCP_IDLE_TIMEOUT = Setting.of("switchboard.relay.tcp.idle-timeout",
            seconds(TcpOptions.DEFAULT_IDLE_TIMEOUT), Values.seconds(),
            "seconds a TCP/TLS connection without a TURN allocation may send nothing");

    // TLS key material

    public static final Setting<String> TLS_KEY_STORE = Setting.of("switchboard.tls.key-store", KEY_STORE_DEFAULT,
                    Values.trimmed(),
                    "key store with the TLS key and certificate chain (relative: to the configuration directory)")
            .shownAs("`${jboss.server.config.dir}/" + KEY_STORE_DEFAULT + "`");

    public static final Setting<String> TLS_KEY_STORE_PASSWORD = Setting.of("switchboard.tls.key-store-password",
            "changeit", Values.verbatim(), "password of the key store and its key");

    public static final Setting<String> TLS_KEY_STORE_TYPE = Setting.of("switchboard.tls.key-store-type", "PKCS12",
            Values.trimmed(), "key store type, PKCS12 or JKS; empty: PKCS12");

    public static final Setting<String> TLS_KEY_STORE_ALIAS = Setting.of("switchboard.tls.key-store-alias", "",
            Values.trimmed(), "key entry to serve; empty: the store's only key entry");

    public static final Setting<String> TLS_CERTIFICATE = Setting.of("switchboard.tls.certificate", "",
            Values.trimmed(), "PEM certificate chain, leaf first (instead of the key store)");

    public static final Setting<String> TLS_PRIVATE_KEY = Setting.of("switchboard.tls.private-key", "",
            Values.trimmed(), "PEM PKCS#8 private key of the certificate");

    public static final Setting<List<String>> TLS_PROTOCOLS = Setting.of("switchboard.tls.protocols",
            String.join(",", TlsContext.DEFAULT_PROTOCOLS),
            text -> {
                List<String> protocols = Values.list().apply(text);
                return protocols.isEmpty() ? TlsContext.DEFAULT_PROTOCOLS : protocols;
            },
            "TLS versions offered, comma-separated; empty: the default");

    public static final Setting<Duration> TLS_HANDSHAKE_TIMEOUT = Setting.of("switchboard.tls.handshake-timeout",
            seconds(TlsContext.DEFAULT_HANDSHAKE_TIMEOUT), Values.seconds(),
            "seconds a client has to finish its TLS handshake");

    // TURN

    public static final Setting<Boolean> TURN_ENABLED = Setting.of("switchboard.turn.enabled", "true", Values.bool(),
            "TURN on the same ports; false leaves a STUN-only server");

    public static final Setting<String> TURN_REALM = Setting.of("switchboard.turn.realm", TurnConfig.DEFAULT_REALM,
            stunText(StunAttribute.REALM, true), "long-term credential realm");

    public static final Setting<List<String>> TURN_USERS = Setting.of("switchboard.turn.users", "", Values.list(),
            "static TURN users, comma-separated user:password or user:0x<HA1 hex>");

    public static final Setting<List<String>> TURN_SECRETS = Setting.of("switchboard.turn.secrets", "",
            Values.list(), "TURN REST-API shared secrets, comma-separated, newest first; read again while running");

    public static final Setting<List<InetAddress>> TURN_RELAY_ADDRESS = Setting.of("switchboard.turn.relay.address",
                    "", Values.addresses(false), "addresses relayed sockets bind to, comma-separated")
            .shownAs("the bind addresses");

    public static final Setting<ExternalAddresses> TURN_EXTERNAL_ADDRESS = Setting.of(
                    "switchboard.turn.external-address", "", ExternalAddresses::parse,
                    "public addresses behind a 1:1 NAT, public[/private], one per family, comma-separated")
            .shownAs("*(none: off)*");

    public static final Setting<Integer> TURN_MIN_PORT = Setting.of("switchboard.turn.min-port",
            Integer.toString(TurnConfig.DEFAULT_MIN_PORT), Values.integer(1, 65_535), "lowest relayed port");

    public static final Setting<Integer> TURN_MAX_PORT = Setting.of("switchboard.turn.max-port",
            Integer.toString(TurnConfig.DEFAULT_MAX_PORT), Values.integer(1, 65_535), "highest relayed port");

    public static final Setting<String> TURN_ALLOW_PEERS = Setting.of("switchboard.turn.allow-peers", "",
            cidrs(), "CIDRs re-opened for relaying although denied by default");

    public static final Setting<String> TURN_DENY_PEERS = Setting.of("switchboard.turn.deny-peers", "",
            cidrs(), "CIDRs denied in addition to the built-in list");

    public static final Setting<Integer> TURN_MAX_ALLOCATIONS = Setting.of("switchboard.turn.max-allocations",
            Integer.toString(TurnConfig.DEFAULT_MAX_ALLOCATIONS), Values.integer(1, Integer.MAX_VALUE),
            "allocations in total");

    public static final Setting<Integer> TURN_MAX_ALLOCATIONS_PER_USER = Setting.of(
            "switchboard.turn.max-allocations-per-user", Integer.toString(TurnConfig.DEFAULT_MAX_ALLOCATIONS_PER_USER),
            Values.integer(1, Integer.MAX_VALUE), "allocations per username");

    public static final Setting<Integer> TURN_DEFAULT_LIFETIME = Setting.of("switchboard.turn.default-lifetime",
            seconds(TurnConfig.DEFAULT_LIFETIME), Values.integer(1, Integer.MAX_VALUE),
            "allocation lifetime granted by default, seconds");

    public static final Setting<Integer> TURN_MAX_LIFETIME = Setting.of("switchboard.turn.max-lifetime",
            seconds(TurnConfig.DEFAULT_MAX_LIFETIME), Values.integer(1, Integer.MAX_VALUE),
            "longest allocation lifetime granted, seconds");

    public static final Setting<Double> TURN_UNAUTHENTICATED_RATE = Setting.of(
            "switchboard.turn.unauthenticated-rate", Integer.toString(TurnConfig.DEFAULT_UNAUTHENTICATED_RATE),
            Values.decimal(0), "replies per second per source IP to unauthenticated requests (0 = off)");

    public static final Setting<Integer> TURN_UNAUTHENTICATED_BURST = Setting.of(
            "switchboard.turn.unauthenticated-burst", Integer.toString(TurnConfig.DEFAULT_UNAUTHENTICATED_BURST),
            Values.integer(1, Integer.MAX_VALUE), "tokens a quiet source starts with");

    public static final Setting<Integer> TURN_REPLY_FACTOR = Setting.of("switchboard.turn.reply-factor",
            Integer.toString(TurnConfig.DEFAULT_UNAUTHENTICATED_REPLY_FACTOR), Values.integer(0, Integer.MAX_VALUE),
            "largest reply to an unauthenticated UDP request as a multiple of its size (1 strict, 0 off)");

    public static final Setting<Long> TURN_MAX_BPS = Setting.of("switchboard.turn.max-bps",
            Long.toString(TurnConfig.DEFAULT_MAX_BITS_PER_SECOND), Values.longInteger(0, Long.MAX_VALUE),
            "bandwidth cap per allocation and direction, bits/s of relayed payload (0 = none)");

    public static final Setting<Integer> TURN_TCP_CONNECT_TIMEOUT = Setting.of("switchboard.turn.tcp-connect-timeout",
            seconds(TurnConfig.DEFAULT_TCP_CONNECT_TIMEOUT), Values.integer(1, Integer.MAX_VALUE),
            "seconds an RFC 6062 Connect waits for the peer before 447");

    public static final Setting<Integer> TURN_MAX_TCP_CONNECTIONS = Setting.of("switchboard.turn.max-tcp-connections",
            Integer.toString(TurnConfig.DEFAULT_MAX_TCP_CONNECTIONS_PER_ALLOCATION),
            Values.integer(1, Integer.MAX_VALUE), "RFC 6062 peer data connections per TCP allocation");

    // SFU

    public static final Setting<Boolean> SFU_ENABLED = Setting.of("switchboard.sfu.enabled", "true", Values.bool(),
            "whether the relay serves SFU rooms (WHIP, WHEP, sfu rooms in signaling)");

    public static final Setting<Integer> SFU_MAX_SESSIONS = Setting.of("switchboard.sfu.max-sessions",
            Integer.toString(SfuSettings.DEFAULT_MAX_SESSIONS), Values.integer(1, SfuSettings.LIMIT),
            "SFU sessions (peer connections) at once");

    public static final Setting<Integer> SFU_MAX_PUBLISHERS = Setting.of("switchboard.sfu.max-publishers-per-room",
            Integer.toString(SfuSettings.DEFAULT_MAX_PUBLISHERS_PER_ROOM), Values.integer(1, SfuSettings.LIMIT),
            "publishers in one SFU room at once");

    public static final Setting<Integer> SFU_MAX_VIEWERS = Setting.of("switchboard.sfu.max-viewers-per-room",
            Integer.toString(SfuSettings.DEFAULT_MAX_VIEWERS_PER_ROOM), Values.integer(1, SfuSettings.LIMIT),
            "viewers in one SFU room at once");

    public static final Setting<Integer> SFU_DTLS_MAX_HANDSHAKES = Setting.of("switchboard.sfu.dtls.max-handshakes",
            Integer.toString(DtlsSettings.DEFAULT_MAX_HANDSHAKES), Values.integer(1, DtlsSettings.MAX_HANDSHAKES_LIMIT),
            "SFU DTLS handshakes in progress at once");

    public static final Setting<Duration> SFU_DTLS_HANDSHAKE_TIMEOUT = Setting.of(
            "switchboard.sfu.dtls.handshake-timeout", seconds(DtlsSettings.DEFAULT_HANDSHAKE_TIMEOUT),
            Values.seconds(), "seconds an SFU DTLS handshake may take from its cookie-verified ClientHello");

    /** The SFU's DTLS settings from a source of property values (checks of the record included). */
    public static DtlsSettings dtls(Function<String, String> properties) {
        return new DtlsSettings(SFU_DTLS_MAX_HANDSHAKES.read(properties), SFU_DTLS_HANDSHAKE_TIMEOUT.read(properties));
    }

    public static final Setting<Long> SFU_MAX_PUBLISHER_BITRATE = Setting.of("switchboard.sfu.max-publisher-bitrate",
            Long.toString(SfuSettings.DEFAULT_MAX_PUBLISHER_BITRATE), Values.longInteger(100_000, 1_000_000_000L),
            "bits per second of video one SFU publisher may send");

    /** The SFU's settings from a source of property values. */
    public static SfuSettings sfu(Function<String, String> properties) {
        return new SfuSettings(SFU_ENABLED.read(properties), SFU_MAX_SESSIONS.read(properties),
                SFU_MAX_PUBLISHERS.read(properties), SFU_MAX_VIEWERS.read(properties),
                SFU_MAX_PUBLISHER_BITRATE.read(properties), dtls(properties));
    }

    /** Every relay setting, in README's order. */
    public static final List<Setting<?>> ALL = List.of(
            BIND_ADDRESS, STUN_PORT, STUN_TCP_PORT, TURN_TLS_PORT,
            TLS_KEY_STORE, TLS_KEY_STORE_PASSWORD, TLS_KEY_STORE_TYPE, TLS_KEY_STORE_ALIAS, TLS_CERTIFICATE,
            TLS_PRIVATE_KEY, TLS_PROTOCOLS, TLS_HANDSHAKE_TIMEOUT,
            SOFTWARE,
            TURN_ENABLED, TURN_REALM, TURN_USERS, TURN_SECRETS, TURN_RELAY_ADDRESS, TURN_EXTERNAL_ADDRESS,
            TURN_MIN_PORT, TURN_MAX_PORT, TURN_ALLOW_PEERS, TURN_DENY_PEERS, TURN_MAX_ALLOCATIONS,
            TURN_MAX_ALLOCATIONS_PER_USER, TURN_DEFAULT_LIFETIME, TURN_MAX_LIFETIME, TURN_UNAUTHENTICATED_RATE,
            TURN_UNAUTHENTICATED_BURST, TURN_REPLY_FACTOR, TURN_MAX_BPS, TURN_TCP_CONNECT_TIMEOUT,
            TURN_MAX_TCP_CONNECTIONS,
            UDP_CLIENT_SOCKETS, EVENT_LOOPS, EVENT_QUEUE, MAX_CONNECTIONS, MAX_CONNECTIONS_PER_SOURCE,
            TCP_FIRST_MESSAGE_TIMEOUT,
            TCP_IDLE_TIMEOUT,
            SFU_ENABLED, SFU_MAX_SESSIONS, SFU_MAX_PUBLISHERS, SFU_MAX_VIEWERS, SFU_MAX_PUBLISHER_BITRATE,
            SFU_DTLS_MAX_HANDSHAKES, SFU_DTLS_HANDSHAKE_TIMEOUT);

    private static String seconds(Duration d) {
        return Long.toString(d.toSeconds());
    }

    /** REALM or SOFTWARE: well-formed and fewer than 128 characters (RFC 8489 §14.9, §14.14). */
    private static Function<String, String> stunText(int attribute, boolean required) {
        Function<String, String> text = required ? Values.nonEmpty() : Values.trimmed();
        return value -> {
            String v = text.apply(value);
            StunEncoder.checkText(attribute, v.getBytes(StandardCharsets.UTF_8));
            return v;
        };
    }

    /** CIDRs or bare addresses separated by commas and/or blanks, as the peer policy reads them. */
    private static Function<String, String> cidrs() {
        return Values.checkedBy(text -> {
            for (String item : text.trim().split("[,\\s]+")) {
                if (!item.isEmpty()) {
                    Cidr.parse(item);
                }
            }
            return text;
        });
    }
}
