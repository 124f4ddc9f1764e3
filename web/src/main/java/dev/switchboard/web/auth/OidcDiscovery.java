package dev.switchboard.web.auth;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;

/**
 * The IdP's endpoints for the browser's sign-in, from its OpenID Connect discovery document
 * ({@code <provider-url>/.well-known/openid-configuration}). Fetched by the server rather than the page: the server
 * reaches the IdP anyway (Elytron verifies tokens against it), and not every IdP serves its discovery document with
 * CORS headers. A good answer is kept for {@link #KEEP}, a failure for {@link #RETRY_AFTER} only, so an unauthenticated
 * page load cannot make the server hammer the IdP, and an IdP that comes up is noticed quickly.
 */
public final class OidcDiscovery {

    static final Duration KEEP = Duration.ofHours(1);
    static final Duration RETRY_AFTER = Duration.ofSeconds(10);
    static final Duration TIMEOUT = Duration.ofSeconds(5);
    static final String WELL_KNOWN = "/.well-known/openid-configuration";

    /** Where the page sends the user and trades the code; {@code endSession} is null when the IdP has none. */
    public record Endpoints(String issuer, String authorization, String token, String endSession) {
    }

    /** The body of a 200 answer from {@code uri}; anything else is an IOException saying what came back. */
    @FunctionalInterface
    public interface Fetcher {
        String get(URI uri) throws IOException, InterruptedException;
    }

    /** The IdP could not be asked, or its answer is unusable (HTTP 503 {@code idp-unavailable}). */
    public static final class UnavailableException extends Exception {
        public UnavailableException(String message) {
            super(message, null, false, false);
        }
    }

    private record Entry(String providerUrl, Endpoints endpoints, String failure, long until) {
    }

    private final Fetcher fetcher;
    private final Clock clock;
    private Entry entry;

    public OidcDiscovery(Fetcher fetcher, Clock clock) {
        this.fetcher = fetcher;
        this.clock = clock;
    }

    /** Over the JDK's HTTP client, following no redirects (the document's address is the issuer's). */
    public static OidcDiscovery overHttp(Clock clock) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        return new OidcDiscovery(uri -> {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT)
                    .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IOException("HTTP " + r.statusCode());
            }
            return r.body();
        }, clock);
    }

    /** Synchronized: one fetch at a time, and callers that waited get its result from the cache. */
    public synchronized Endpoints endpoints(String providerUrl) throws UnavailableException {
        long now = clock.millis();
        Entry e = entry;
        if (e == null || !e.providerUrl().equals(providerUrl) || now >= e.until()) {
            e = fetch(providerUrl, now);
            entry = e;
        }
        if (e.failure() != null) {
            throw new UnavailableException(e.failure());
        }
        return e.endpoints();
    }

    private Entry fetch(String providerUrl, long now) {
        URI uri;
        try {
            uri = new URI(trimSlash(providerUrl) + WELL_KNOWN);
        } catch (URISyntaxException ex) {
            return failed(providerUrl, now, "switchboard.oidc.provider-url is not a URL: " + providerUrl);
        }
        try {
            return new Entry(providerUrl, parse(providerUrl, fetcher.get(uri)), null, now + KEEP.toMillis());
        } catch (UnavailableException ex) {
            return failed(providerUrl, now, ex.getMessage());
        } catch (IOException ex) {
            return failed(providerUrl, now, "the identity provider's discovery document " + uri + " could not be read: "
                    + ex.getMessage());
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return failed(providerUrl, now, "interrupted while asking the identity provider");
        }
    }

    private static Entry failed(String providerUrl, long now, String why) {
        return new Entry(providerUrl, null, why, now + RETRY_AFTER.toMillis());
    }

    /** The endpoints of a discovery document, which must name the configured issuer (OpenID Connect Discovery §4.3). */
    static Endpoints parse(String providerUrl, String json) throws UnavailableException {
        JsonObject doc;
        try (JsonReader r = Json.createReader(new StringReader(json))) {
            doc = r.readObject();
        } catch (JsonException | IllegalStateException e) {
            throw new UnavailableException("the identity provider's discovery document is not a JSON object");
        }
        String issuer = string(doc, "issuer");
        if (issuer == null || !trimSlash(issuer).equals(trimSlash(providerUrl))) {
            throw new UnavailableException("the discovery document names the issuer " + issuer
                    + ", not switchboard.oidc.provider-url " + providerUrl);
        }
        String authorization = endpoint(doc, "authorization_endpoint", true);
        String token = endpoint(doc, "token_endpoint", true);
        return new Endpoints(issuer, authorization, token, endpoint(doc, "end_session_endpoint", false));
    }

    private static String endpoint(JsonObject doc, String name, boolean required) throws UnavailableException {
        String v = string(doc, name);
        if (v == null) {
            if (required) {
                throw new UnavailableException("the identity provider's discovery document has no " + name);
            }
            return null;
        }
        try {
            URI u = new URI(v);
            if (("https".equals(u.getScheme()) || "http".equals(u.getScheme())) && u.getHost() != null) {
                return v;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new UnavailableException("the identity provider's " + name + " is not an http(s) URL: " + v);
    }

    private static String string(JsonObject doc, String name) {
        JsonValue v = doc.get(name);
        return v instanceof JsonString s && !s.getString().isBlank() ? s.getString() : null;
    }

    private static String trimSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
