package dev.switchboard.web.http;

import dev.switchboard.web.api.Problem;
import jakarta.json.Json;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The error page of the web module (WEB-INF/web.xml): errors the servlet container raises itself — a path that does
 * not decode ({@code %ff}) or leaves the root ({@code ..}), a method a servlet does not take, TRACE, a static file that
 * is not there — get the API's RFC 9457 shape instead of Undertow's HTML page. The kind is the one JAX-RS's own status
 * errors get ({@link Problem#kindOf}); the detail is fixed per status and never echoes the request.
 */
@WebServlet(ErrorPageServlet.PATH)
public class ErrorPageServlet extends HttpServlet {

    static final String PATH = "/error";

    private static final Map<Integer, String> DETAIL = Map.of(
            400, "the request could not be understood",
            404, "no such resource",
            405, "this method is not allowed here",
            413, "the request is too large",
            500, "unexpected error");

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        // asked for directly (not an error dispatch): there is nothing here
        int status = code instanceof Integer c && c >= 400 && c <= 599 ? c : HttpServletResponse.SC_NOT_FOUND;
        byte[] body = json(status).getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType(Problem.MEDIA_TYPE);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** The problem document for a status, shaped (and ordered) as JSON-B writes {@link Problem}. */
    static String json(int status) {
        Response.Status known = Response.Status.fromStatusCode(status);
        Problem p = known != null
                ? Problem.of(known, Problem.kindOf(status),
                        DETAIL.getOrDefault(status, known.getReasonPhrase().toLowerCase()))
                : new Problem("/problems/" + Problem.kindOf(status), "Error", status, "error " + status);
        return Json.createObjectBuilder()
                .add("detail", p.detail())
                .add("status", p.status())
                .add("title", p.title())
                .add("type", p.type())
                .build().toString();
    }
}
