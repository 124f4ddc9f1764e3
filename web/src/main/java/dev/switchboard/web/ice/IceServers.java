package dev.switchboard.web.ice;

import dev.switchboard.connector.ListenerStatus;
import dev.switchboard.connector.TurnRestCredential;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Builds the {@code RTCIceServer[]} a browser passes to {@code new RTCPeerConnection({iceServers})} from the relay's
 * listeners as they are (only those up): {@code stun:} for each UDP port, {@code turn:} over UDP and TCP and
 * {@code turns:} for TLS listeners, all at the one host clients should dial, with a fresh REST-API credential on
 * the TURN entry. Plain Java: the resource feeds it what the relay says.
 */
public final class IceServers {

    public static final String PUBLIC_HOST_PROPERTY = "switchboard.turn.public-host";
    public static final String TTL_PROPERTY = "switchboard.turn.credential-ttl";
    public static final long DEFAULT_TTL_SECONDS = 86_400;

    /** One {@code RTCIceServer}; username and credential are null (left out of the JSON) for STUN. */
    public record IceServer(List<String> urls, String username, String credential) {
        public IceServer {
            urls = List.copyOf(urls);
        }
    }

    private IceServers() {
    }

    /**
     * @param listeners  the relay's listeners
     * @param publicHost what clients dial (a DNS name or address), or null/blank for the first listener's address
     * @param requestHost the host the API request came to, used when the listener is a wildcard (0.0.0.0, ::)
     * @param credential the TURN credential, or empty when TURN is off (then only STUN entries)
     */
    public static List<IceServer> build(List<ListenerStatus> listeners, String publicHost, String requestHost,
                                        Optional<TurnRestCredential> credential) {
        List<ListenerStatus> up = listeners.stream().filter(ListenerStatus::isUp).toList();
        if (up.isEmpty()) {
            return List.of();
        }
        String host = uriHost(publicHost != null && !publicHost.isBlank() ? publicHost.trim()
                : hostOf(up.get(0).host(), requestHost));
        Set<String> stun = new LinkedHashSet<>();
        Set<String> turn = new LinkedHashSet<>();
        for (ListenerStatus l : up) {
            switch (l.transport()) {
                case "udp" -> {
                    stun.add("stun:" + host + ":" + l.port());
                    turn.add("turn:" + host + ":" + l.port() + "?transport=udp");
                }
                case "tcp" -> turn.add("turn:" + host + ":" + l.port() + "?transport=tcp");
                case "tls" -> turn.add("turns:" + host + ":" + l.port() + "?transport=tcp");
                default -> {
                    // a transport browsers cannot use (e.g. DTLS) is not offered
                }
            }
        }
        List<IceServer> out = new ArrayList<>();
        if (!stun.isEmpty()) {
            out.add(new IceServer(List.copyOf(stun), null, null));
        }
        if (credential.isPresent() && !turn.isEmpty()) {
            out.add(new IceServer(List.copyOf(turn), credential.get().username(), credential.get().password()));
        }
        return out;
    }

    /**
     * {@code servers} with its TURN entry replaced by one entry per {@code nodes} (a home and a backup, in that
     * order), each with its own URLs and the same credential; unchanged when there is no TURN entry or only this
     * node to name.
     */
    public static List<IceServer> withTurnNodes(List<IceServer> servers, List<TurnNode> nodes) {
        List<IceServer> out = new ArrayList<>();
        for (IceServer s : servers) {
            if (s.username() == null || nodes.isEmpty()) {
                out.add(s);
                continue;
            }
            for (TurnNode n : nodes) {
                out.add(new IceServer(n.urls(), s.username(), s.credential()));
            }
        }
        return out;
    }

    /**
     * The {@code turn:} and {@code turns:} URLs of the listeners that are up, at {@code publicHost}, or at their own
     * address; empty when there is no host to name (a wildcard listener and no public host): what this node
     * publishes for the others to name.
     */
    public static List<String> turnUrls(List<ListenerStatus> listeners, String publicHost) {
        List<IceServer> own = build(listeners, publicHost, null, Optional.of(new TurnRestCredential("-", "-",
                Instant.EPOCH)));
        for (IceServer s : own) {
            if (s.username() != null && s.urls().stream().noneMatch(IceServers::wildcard)) {
                return s.urls();
            }
        }
        return List.of();
    }

    /** A URL at a wildcard address (no request to take the host from): literals only, so no name is looked up. */
    private static boolean wildcard(String url) {
        String rest = url.substring(url.indexOf(':') + 1);
        String host = rest.startsWith("[") ? rest.substring(1, rest.indexOf(']'))
                : rest.substring(0, rest.indexOf(':'));
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("0:0:0:0:0:0:0:0");
    }

    /** The credential lifetime from {@value #TTL_PROPERTY} (seconds, 60 .. 7 days). */
    public static Duration ttl(String text) {
        if (text == null || text.isBlank()) {
            return Duration.ofSeconds(DEFAULT_TTL_SECONDS);
        }
        long seconds;
        try {
            seconds = Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(TTL_PROPERTY + " must be a number of seconds, got '" + text + "'");
        }
        if (seconds < 60 || seconds > Duration.ofDays(7).toSeconds()) {
            throw new IllegalArgumentException(TTL_PROPERTY + " must be 60 .. 604800 seconds, got " + seconds);
        }
        return Duration.ofSeconds(seconds);
    }

    /** The listener's address, unless it is a wildcard: then the host the client already reached us at. */
    private static String hostOf(String listenerHost, String requestHost) {
        String h = stripBrackets(listenerHost);
        try {
            if (InetAddress.getByName(h).isAnyLocalAddress() && requestHost != null && !requestHost.isBlank()) {
                return stripBrackets(requestHost);
            }
        } catch (UnknownHostException e) {
            // a name, not a literal: keep it
        }
        return h;
    }

    /** IPv6 literals go in brackets in URIs (RFC 7064/7065 follow RFC 3986). */
    private static String uriHost(String host) {
        String h = stripBrackets(host);
        int zone = h.indexOf('%');
        if (zone >= 0) {
            h = h.substring(0, zone); // a zone id means nothing to the browser
        }
        return h.indexOf(':') >= 0 ? "[" + h + "]" : h;
    }

    private static String stripBrackets(String h) {
        return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }
}
