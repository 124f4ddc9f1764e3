package dev.switchboard.web.http;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * Puts {@link SecurityHeaders} on every response of the web module (the page, its scripts, the API, error pages) and
 * answers TRACE with 405 before any servlet could echo the request (cookies, Authorization) back: the listener lets
 * TRACE through (switchboard.cli) so that its 405 gets the same problem+json body as every other error.
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true,
        dispatcherTypes = {DispatcherType.REQUEST, DispatcherType.FORWARD, DispatcherType.ERROR})
public class SecurityHeadersFilter extends HttpFilter {

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        response.setHeader("Content-Security-Policy", SecurityHeaders.contentSecurityPolicy(System::getProperty));
        response.setHeader("X-Content-Type-Options", SecurityHeaders.X_CONTENT_TYPE_OPTIONS);
        response.setHeader("Referrer-Policy", SecurityHeaders.REFERRER_POLICY);
        if ("TRACE".equals(request.getMethod()) && request.getDispatcherType() == DispatcherType.REQUEST) {
            response.setHeader("Allow", "GET, HEAD, POST, PUT, DELETE, OPTIONS");
            response.sendError(HttpServletResponse.SC_METHOD_NOT_ALLOWED); // the body: ErrorPageServlet
            return;
        }
        chain.doFilter(request, response);
    }
}
