package dev.switchboard.web.http;

import dev.switchboard.web.auth.ClientConfig;

import java.net.URI;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The headers every response of the web module carries (issue #10, 7): the page keeps OIDC tokens in sessionStorage,
 * so it must run only its own scripts, never inside another site's frame, and leak no address to other sites.
 * <p>
 * The page loads its own modules and stylesheet and talks to its own origin (API, {@code /signal}); with SSO it also
 * POSTs to the IdP's token endpoint (oidc.js), so {@code connect-src} names the origin of
 * {@code switchboard.oidc.provider-url} and any origins in {@link #CONNECT_SRC} (an IdP whose token endpoint is on
 * another host than its issuer). Navigations to the IdP (sign-in, sign-out) are not restricted by CSP.
 */
public final class SecurityHeaders {

    /** Extra origins the page may fetch from, space- or comma-separated, e.g. {@code https://oauth2.googleapis.com}. */
    public static final String CONNECT_SRC = "switchboard.http.csp-connect-src";

    public static final String X_CONTENT_TYPE_OPTIONS = "nosniff";
    /** The page's addresses carry room ids and, during sign-in, the authorization code: never sent elsewhere. */
    public static final String REFERRER_POLICY = "no-referrer";

    /** An origin and nothing else: no path, quote, semicolon or space that could change the policy. */
    private static final Pattern ORIGIN = Pattern.compile("(?i)https?://[a-z0-9.\\-]+(:[0-9]{1,5})?|https?://\\[[0-9a-f:.]+\\](:[0-9]{1,5})?");

    private SecurityHeaders() {
    }

    /** The Content-Security-Policy for the current settings (read at each request: a reload changes it). */
    public static String contentSecurityPolicy(Function<String, String> properties) {
        Set<String> connect = new LinkedHashSet<>();
        connect.add("'self'"); // the API and the signaling WebSocket (CSP3: 'self' covers ws: and wss:)
        String provider = properties.apply(ClientConfig.PROVIDER_URL);
        if (provider != null && !provider.isBlank()) {
            String origin = origin(provider.trim());
            if (origin != null) {
                connect.add(origin);
            }
        }
        String extra = properties.apply(CONNECT_SRC);
        if (extra != null) {
            for (String s : extra.split("[\\s,]+")) {
                String origin = s.isEmpty() ? null : origin(s);
                if (origin != null) {
                    connect.add(origin);
                }
            }
        }
        return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; media-src 'self' blob:; "
                + "connect-src " + String.join(" ", connect) + "; base-uri 'none'; form-action 'self'; "
                + "frame-ancestors 'none'";
    }

    /** The origin (scheme://host[:port]) of an absolute http(s) URL, or null when it is none. */
    static String origin(String url) {
        try {
            URI u = URI.create(url);
            if (u.getScheme() == null || u.getRawAuthority() == null || u.getRawAuthority().contains("@")) {
                return null;
            }
            String origin = u.getScheme().toLowerCase() + "://" + u.getRawAuthority().toLowerCase();
            return ORIGIN.matcher(origin).matches() ? origin : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
