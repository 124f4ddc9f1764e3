package dev.switchboard.it;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonStructure;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;

import java.io.File;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Where the test server is and how to talk to it (ports come from failsafe, see standalone-config/pom.xml). */
final class TestServer {

    static final int PORT_OFFSET = Integer.getInteger("test.port.offset", 10000);
    static final int STUN_PORT = Integer.getInteger("test.stun.port", 13478);
    /** TURN over TLS; the first is the one the interop tests use. */
    static final int TLS_PORT = Integer.getInteger("test.tls.port", 15349);
    static final List<Integer> TLS_PORTS = List.of(TLS_PORT, Integer.getInteger("test.tls.port2", 15443));
    /** The self-signed development key store the build put into the test server (password changeit). */
    static final Path TLS_KEY_STORE = Path.of(System.getProperty("jboss.home", "target/test-server"),
            "standalone", "configuration", "switchboard-tls.p12");
    /** Its certificate as PEM. */
    static final Path TLS_CERTIFICATE = TLS_KEY_STORE.resolveSibling("switchboard-tls.crt");
    /** TURN settings the test server is started with (arquillian.xml). */
    static final String TURN_USER = "alice";
    static final String TURN_PASSWORD = "wonderland";
    static final String TURN_SECRET = "test-rest-secret";
    static final int TURN_PEER_PORT = Integer.getInteger("test.turn.peer.port", 13480);
    static final String BASE = "http://127.0.0.1:" + (8080 + PORT_OFFSET);

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TestServer() {
    }

    /** The real EAR from the reactor, deployed under the name the MDB's adapter reference expects. */
    static EnterpriseArchive ear() {
        File file = new File(System.getProperty("test.deployment", "target/test-deployments/switchboard.ear"));
        return ShrinkWrap.create(ZipImporter.class, "switchboard.ear").importFrom(file).as(EnterpriseArchive.class);
    }

    static InetSocketAddress stunUdp() {
        return new InetSocketAddress("127.0.0.1", STUN_PORT);
    }

    /** The relay's IPv6 listener (UDP and TCP share the port). */
    static InetSocketAddress stun6() {
        return new InetSocketAddress("::1", STUN_PORT);
    }

    /**
     * Runs management commands with the test server's own jboss-cli (e.g. {@code /system-property=x:add(value=y)});
     * fails the test with the CLI's output when one fails.
     */
    static String cli(String... commands) throws IOException, InterruptedException {
        return cli(9990 + PORT_OFFSET, commands);
    }

    /** As {@link #cli(String...)}, for a server of the test server's installation on another management port. */
    static String cli(int managementPort, String... commands) throws IOException, InterruptedException {
        File home = new File(System.getProperty("jboss.home", "target/test-server"));
        Path script = Files.createTempFile("switchboard-it", ".cli");
        try {
            Files.write(script, List.of(commands)); // one per line: values may hold commas
            List<String> command = new ArrayList<>(List.of(new File(home, "bin/jboss-cli.sh").getPath(), "-c",
                    "--controller=127.0.0.1:" + managementPort, "--file=" + script));
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new AssertionError("jboss-cli " + String.join("; ", commands) + " failed: " + out);
            }
            return out;
        } finally {
            Files.deleteIfExists(script);
        }
    }

    /**
     * The test server runs in dev mode: get, postJson and delete act as the dev user with both roles in the default
     * tenant (an operator); tests of roles and tenants send their own headers through {@link #request}.
     */
    private static HttpRequest.Builder operator(String path) {
        return HttpRequest.newBuilder(URI.create(BASE + path)).timeout(Duration.ofSeconds(30))
                .header("X-Switchboard-Roles", "user,admin");
    }

    static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(operator(path).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> postJson(String path, String json) throws IOException, InterruptedException {
        return HTTP.send(operator(path)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> delete(String path) throws IOException, InterruptedException {
        return HTTP.send(operator(path).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Any request, with headers given as name, value, name, value…; a null body sends none (POST/PUT with an
     * empty body when the method needs one).
     */
    static HttpResponse<String> request(String method, String path, String json, String... headers)
            throws IOException, InterruptedException {
        return requestTo(BASE, method, path, json, headers);
    }

    /** As {@link #request(String, String, String, String...)}, to the server at {@code base} (another node). */
    static HttpResponse<String> requestTo(String base, String method, String path, String json, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpClient http() {
        return HTTP;
    }

    static JsonObject object(String json) {
        return (JsonObject) parse(json);
    }

    static JsonArray array(String json) {
        return (JsonArray) parse(json);
    }

    private static JsonStructure parse(String json) {
        try (JsonReader r = Json.createReader(new StringReader(json))) {
            return r.read();
        }
    }
}
