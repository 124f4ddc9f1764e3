package dev.switchboard.web.signal.container;

import dev.switchboard.web.log.LogLimiter;
import dev.switchboard.web.signal.OriginPolicy;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Refuses the signaling handshake from pages of other origins with 403 ({@link OriginPolicy}). A filter rather than
 * the endpoint's {@code Configurator.checkOrigin}, which sees the Origin alone and not the host the request came to;
 * declared filters run before Undertow's WebSocket filter, which does the upgrade.
 */
@WebFilter(urlPatterns = "/signal", asyncSupported = true)
public class OriginFilter implements Filter {

    private static final Logger LOG = Logger.getLogger(OriginFilter.class.getName());
    /** One line a minute is enough to tell an operator that a page is refused (and which). */
    private static final LogLimiter LOGS = new LogLimiter(1, Duration.ofMinutes(1), Clock.systemUTC());
    static final String PROBLEM = "/problems/origin-not-allowed";

    @Inject
    SignalingHub hub;

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) request;
        String origin = http.getHeader("Origin");
        OriginPolicy policy = hub.config().origins();
        if (policy.allows(origin, http.getScheme(), http.getServerName(), http.getServerPort())) {
            chain.doFilter(request, response);
            return;
        }
        LOGS.log(LOG, Level.INFO, "refused", null, () -> "Signaling refused a socket from the page origin '"
                + brief(origin) + "' (add it to switchboard.signaling.allowed-origins if it is yours)");
        HttpServletResponse out = (HttpServletResponse) response;
        out.setStatus(HttpServletResponse.SC_FORBIDDEN);
        out.setContentType("application/problem+json");
        byte[] body = Json.createObjectBuilder()
                .add("type", PROBLEM)
                .add("title", "Forbidden")
                .add("status", HttpServletResponse.SC_FORBIDDEN)
                .add("detail", "pages of this origin may not open the signaling socket")
                .build().toString().getBytes(StandardCharsets.UTF_8);
        out.setContentLength(body.length);
        out.getOutputStream().write(body);
    }

    private static String brief(String origin) {
        String printable = origin.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() <= 100 ? printable : printable.substring(0, 100) + "…";
    }
}
