package dev.switchboard.web.signal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Which web pages may open the signaling socket, by the {@code Origin} header of the upgrade request (a page of
 * another site could otherwise open it with the user's cookies and act for them): the page's own origin — the
 * scheme, host and port the request came to — plus the operator's list ({@code switchboard.signaling.allowed-origins};
 * {@code *} admits any). A request without {@code Origin} is admitted: browsers always send it on a WebSocket
 * upgrade, so its absence means a client that is not a browser (an SDK, a test), which the ticket authenticates
 * like any other and which could send any Origin it liked anyway.
 */
public final class OriginPolicy {

    private static final Logger LOG = Logger.getLogger(OriginPolicy.class.getName());

    private final boolean any;
    private final Set<String> allowed;

    private OriginPolicy(boolean any, Set<String> allowed) {
        this.any = any;
        this.allowed = allowed;
    }

    /**
     * @param origins the operator's list, comma-separated origins ({@code https://app.example.com},
     *                {@code http://localhost:3000}) or {@code *}; null or blank for none. An entry that is not an
     *                origin is logged and left out.
     */
    public static OriginPolicy of(String origins) {
        boolean any = false;
        Set<String> allowed = new LinkedHashSet<>();
        if (origins != null) {
            for (String raw : origins.split(",")) {
                String entry = raw.trim();
                if (entry.isEmpty()) {
                    continue;
                }
                if (entry.equals("*")) {
                    any = true;
                    continue;
                }
                String normal = normalize(entry);
                if (normal == null) {
                    LOG.warning(() -> SignalingConfig.PREFIX + "allowed-origins: '" + entry
                            + "' is not an origin (scheme://host[:port]); left out");
                } else {
                    allowed.add(normal);
                }
            }
        }
        return new OriginPolicy(any, Set.copyOf(allowed));
    }

    /**
     * @param origin the request's {@code Origin} header, null when absent
     * @param scheme the scheme the request came over ({@code http} or {@code https})
     * @param host   the host it was sent to (the {@code Host} header)
     * @param port   the port it was sent to
     */
    public boolean allows(String origin, String scheme, String host, int port) {
        if (origin == null) {
            return true;
        }
        if (any) {
            return true;
        }
        String normal = normalize(origin.trim());
        if (normal == null) { // "null" (a sandboxed frame, a file: page) or garbage: no page we know
            return false;
        }
        return normal.equals(own(scheme, host, port)) || allowed.contains(normal);
    }

    /** The normalized entries, for the log. */
    public List<String> entries() {
        List<String> out = new ArrayList<>(allowed);
        if (any) {
            out.add(0, "*");
        }
        return out;
    }

    @Override
    public String toString() {
        return entries().isEmpty() ? "(own origin)" : "own origin," + String.join(",", entries());
    }

    private static String own(String scheme, String host, int port) {
        if (scheme == null || host == null) {
            return null;
        }
        String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host; // a bare IPv6 literal
        return normalize(scheme + "://" + h + ":" + port);
    }

    /** scheme://host:port in lower case with the port always given; null if it is not an http(s) origin. */
    static String normalize(String origin) {
        URI uri;
        try {
            uri = new URI(origin);
        } catch (URISyntaxException e) {
            return null;
        }
        String scheme = uri.getScheme();
        String host = uri.getHost();
        if (scheme == null || host == null || uri.getRawUserInfo() != null || uri.getRawQuery() != null
                || uri.getRawFragment() != null || !(uri.getRawPath() == null || uri.getRawPath().isEmpty())) {
            return null;
        }
        scheme = scheme.toLowerCase(Locale.ROOT);
        int port = uri.getPort();
        if (port == -1) {
            switch (scheme) {
                case "http":
                    port = 80;
                    break;
                case "https":
                    port = 443;
                    break;
                default:
                    return null;
            }
        } else if (!scheme.equals("http") && !scheme.equals("https")) {
            return null;
        }
        return scheme + "://" + host.toLowerCase(Locale.ROOT) + ":" + port;
    }
}
