package dev.switchboard.web.api;

import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks Content-Type and Accept of API requests against RFC 9110's grammar before the JAX-RS runtime sees them:
 * it took {@code application/json;;;==} as JSON, and answered a header it could not parse with the container's HTML
 * error page. A Content-Type must be one concrete media type whose charset, if named, is UTF-8 (415 {@code
 * unsupported-media-type}); an Accept must be a list of media ranges (400 {@code malformed-header}). A servlet
 * filter, since the runtime parses both before any of its own filters run.
 */
@WebFilter(urlPatterns = "/api/*")
public class MediaTypeFilter extends HttpFilter {

    private static final String TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
    private static final String PARAMETER = "[ \\t]*;[ \\t]*(" + TOKEN + ")=(" + TOKEN + "|\"(?:[^\"\\\\\\p{Cntrl}]|\\\\[^\\p{Cntrl}])*\")";
    private static final Pattern PARAM = Pattern.compile(PARAMETER);
    private static final Pattern MEDIA_TYPE = Pattern.compile("[ \\t]*(" + TOKEN + ")/(" + TOKEN + ")((?:" + PARAMETER + ")*)[ \\t]*");

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        List<String> types = Collections.list(request.getHeaders(HttpHeaders.CONTENT_TYPE));
        if (!types.isEmpty() && (types.size() > 1 || !acceptableContentType(types.get(0)))) {
            refuse(response, Problem.of(Response.Status.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
                    "Content-Type must be one media type, application/json for bodies, charset UTF-8 if named"));
            return;
        }
        List<String> accepts = Collections.list(request.getHeaders(HttpHeaders.ACCEPT));
        if (!accepts.stream().allMatch(MediaTypeFilter::validAccept)) {
            refuse(response, Problem.of(Response.Status.BAD_REQUEST, "malformed-header",
                    "Accept must be a list of media ranges such as application/json"));
            return;
        }
        chain.doFilter(request, response);
    }

    private static void refuse(HttpServletResponse response, Problem p) throws IOException {
        JsonObjectBuilder json = Json.createObjectBuilder().add("type", p.type()).add("title", p.title())
                .add("status", p.status()).add("detail", p.detail());
        byte[] body = json.build().toString().getBytes(StandardCharsets.UTF_8);
        response.setStatus(p.status());
        response.setContentType(Problem.MEDIA_TYPE);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** One concrete type/subtype with well-formed parameters, and UTF-8 if a charset is named. */
    static boolean acceptableContentType(String value) {
        Matcher m = MEDIA_TYPE.matcher(value);
        if (!m.matches() || m.group(1).equals("*") || m.group(2).equals("*")) {
            return false;
        }
        Matcher p = PARAM.matcher(m.group(3));
        while (p.find()) {
            if (p.group(1).equalsIgnoreCase("charset")
                    && !unquote(p.group(2)).toLowerCase(Locale.ROOT).equals("utf-8")) {
                return false;
            }
        }
        return true;
    }

    /** Comma-separated media ranges (empty elements allowed, as RFC 9110's list rule has them). */
    static boolean validAccept(String value) {
        for (String range : value.split(",", -1)) {
            if (!range.isBlank() && !MEDIA_TYPE.matcher(range).matches()) {
                return false;
            }
        }
        return true;
    }

    private static String unquote(String v) {
        return v.startsWith("\"") ? v.substring(1, v.length() - 1).replaceAll("\\\\(.)", "$1") : v;
    }
}
