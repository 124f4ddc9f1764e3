package dev.switchboard.it;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.io.File;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A headless Debian Firefox ESR driven over WebDriver BiDi (JSON commands over the WebSocket Firefox opens with
 * {@code --remote-debugging-port}; no geckodriver, no Selenium, nothing downloaded): fake camera and microphone
 * without a permission prompt, ICE on loopback, updates and telemetry off, a fresh profile under target/ per
 * instance, deleted on {@link #close()} together with the browser's processes. Mirrors {@link Chromium}: open a page,
 * {@link #await} an async script, {@link #waitFor} a condition by a bounded poll, {@link #screenshot}.
 */
final class Firefox implements Browser {

    static final String BROWSER = "/usr/bin/firefox-esr";
    static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /** One BiDi command, a script included: ample on a loaded 2-core machine. */
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(45);

    private static final Pattern LISTENING = Pattern.compile("WebDriver BiDi listening on (ws://\\S+)");
    private static final String PEER_JS = Chromium.resource("/webrtc/peer.js");

    /**
     * The profile's preferences: fake media without a prompt, loopback ICE candidates (Firefox leaves them out by
     * default), and nothing that would reach beyond loopback on its own (updates, telemetry, safe browsing, remote
     * settings, the OpenH264 download, captive-portal and connectivity checks). The remote agent's recommended
     * preferences (remote.prefs.recommended, on by default) cover the rest of first-run and background traffic.
     */
    private static final Map<String, Object> PREFS = prefs(
            "media.navigator.streams.fake", true,
            "media.navigator.permission.disabled", true,
            "media.peerconnection.ice.loopback", true,
            // a page that never called getUserMedia would get mDNS host names; ours does, this makes it certain
            "media.peerconnection.ice.obfuscate_host_addresses", false,
            "media.autoplay.default", 0,
            "app.update.auto", false,
            "app.update.enabled", false,
            "app.update.disabledForTesting", true,
            "app.normandy.enabled", false,
            "datareporting.healthreport.uploadEnabled", false,
            "datareporting.policy.dataSubmissionEnabled", false,
            "toolkit.telemetry.enabled", false,
            "toolkit.telemetry.unified", false,
            "toolkit.telemetry.server", "",
            "browser.ping-centre.telemetry", false,
            "browser.safebrowsing.malware.enabled", false,
            "browser.safebrowsing.phishing.enabled", false,
            "browser.safebrowsing.downloads.enabled", false,
            "browser.safebrowsing.blockedURIs.enabled", false,
            "browser.search.update", false,
            "browser.shell.checkDefaultBrowser", false,
            "browser.startup.homepage_override.mstone", "ignore",
            "extensions.update.enabled", false,
            "extensions.getAddons.cache.enabled", false,
            "services.settings.server", "",
            "media.gmp-manager.updateEnabled", false,
            "media.gmp-manager.url", "",
            "network.captive-portal-service.enabled", false,
            "network.connectivity-service.enabled", false,
            "network.dns.disablePrefetch", true,
            "network.prefetch-next", false);

    private final String name;
    private final Path dir;
    private final Process process;
    private final WebSocket socket;
    private final Map<Long, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final String context;

    private Firefox(String name, Path dir, Process process, URI endpoint) throws IOException {
        this.name = name;
        this.dir = dir;
        this.process = process;
        try {
            this.socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                    .buildAsync(endpoint, new Receiver()).get(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new IOException("no BiDi WebSocket at " + endpoint, e);
        }
        send("session.new", Json.createObjectBuilder().add("capabilities", JsonValue.EMPTY_JSON_OBJECT).build());
        JsonArray contexts = send("browsingContext.getTree", JsonValue.EMPTY_JSON_OBJECT).getJsonArray("contexts");
        this.context = contexts.getJsonObject(0).getString("context");
    }

    /** Starts a browser in this process's network namespace; {@code name} is for file names and messages. */
    static Firefox start(String name) throws IOException {
        if (!new File(BROWSER).canExecute()) {
            fail(BROWSER + " is missing: install Debian's firefox-esr (apt-get install firefox-esr), as .ci/run does");
        }
        Path root = Files.createDirectories(Path.of("target", "firefox").toAbsolutePath());
        Path dir = Files.createTempDirectory(root, name + "-");
        Path profile = Files.createDirectory(dir.resolve("profile"));
        Path tmp = Files.createDirectory(dir.resolve("tmp"));
        Files.writeString(profile.resolve("user.js"), PREFS.entrySet().stream()
                .map(e -> "user_pref(" + Json.createValue(e.getKey()) + ", " + toJson(e.getValue()) + ");")
                .collect(Collectors.joining("\n", "", "\n")));
        Path log = dir.resolve("firefox.log");
        ProcessBuilder pb = new ProcessBuilder(BROWSER, "--headless", "--no-remote", "--profile", profile.toString(),
                "--remote-debugging-port=0", "about:blank")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("TMPDIR", tmp.toString());
        pb.environment().put("HOME", dir.toString());
        pb.environment().put("MOZ_CRASHREPORTER_DISABLE", "1");
        Process process = pb.start();
        try {
            URI endpoint = awaitEndpoint(process, log);
            return new Firefox(name, dir, process, URI.create(endpoint + "/session"));
        } catch (IOException | RuntimeException e) {
            String tail = Chromium.tail(log);
            kill(process);
            Chromium.delete(dir);
            throw new IllegalStateException("Firefox " + name + " did not start; its output:\n" + tail, e);
        }
    }

    /** The WebSocket address Firefox prints once its remote agent listens, waited for by a bounded poll. */
    private static URI awaitEndpoint(Process process, Path log) throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = LISTENING.matcher(Files.readString(log, StandardCharsets.UTF_8));
            if (m.find()) {
                return URI.create(m.group(1));
            }
            if (!process.isAlive()) {
                throw new IOException("Firefox exited with " + process.exitValue());
            }
            sleep(100);
        }
        throw new IOException("no 'WebDriver BiDi listening' line within " + START_TIMEOUT.toSeconds() + " s");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void get(String url) {
        send("browsingContext.navigate", Json.createObjectBuilder().add("context", context).add("url", url)
                .add("wait", "complete").build());
    }

    /** Opens the page and installs the test's WebRTC helpers ({@code SbPeer}, see webrtc/peer.js), as Chromium does. */
    void open(String url) {
        get(url);
        await(PEER_JS);
    }

    /** Through JSON: objects as maps, arrays as lists, integral numbers as Long, others as Double. */
    @Override
    public Object await(String body, Object... args) {
        String function = "async (argsJson) => { const args = JSON.parse(argsJson); try {"
                + " const r = await (async () => {" + body + "\n})();"
                + " return JSON.stringify({ok: true, value: r === undefined ? null : r});"
                + " } catch (e) { return JSON.stringify({ok: false,"
                + " error: String(e) + (e && e.stack ? '\\n' + e.stack : '')}); } }";
        JsonObject result = send("script.callFunction", Json.createObjectBuilder()
                .add("functionDeclaration", function)
                .add("arguments", Json.createArrayBuilder().add(Json.createObjectBuilder().add("type", "string")
                        .add("value", toJson(List.of(args)).toString())))
                .add("target", Json.createObjectBuilder().add("context", context))
                .add("awaitPromise", true)
                .add("resultOwnership", "none").build());
        if (!"success".equals(result.getString("type"))) {
            throw new AssertionError("in the page of " + name + ": " + result.get("exceptionDetails"));
        }
        JsonObject r = read(result.getJsonObject("result").getString("value")).asJsonObject();
        if (!r.getBoolean("ok")) {
            throw new AssertionError("in the page of " + name + ": " + r.getString("error"));
        }
        return toJava(r.get("value"));
    }

    @Override
    public Path screenshot(Path file) throws IOException {
        String png = send("browsingContext.captureScreenshot", Json.createObjectBuilder().add("context", context)
                .build()).getString("data");
        Files.createDirectories(file.toAbsolutePath().getParent());
        return Files.write(file, Base64.getDecoder().decode(png));
    }

    @Override
    public void close() {
        try {
            send("browser.close", JsonValue.EMPTY_JSON_OBJECT, Duration.ofSeconds(10));
        } catch (RuntimeException e) {
            // the browser may already be gone; it is killed below
        } finally {
            socket.abort();
            kill(process);
            Chromium.delete(dir);
        }
    }

    // ---- BiDi over the WebSocket

    private JsonObject send(String method, JsonObject params) {
        return send(method, params, COMMAND_TIMEOUT);
    }

    /** One command and its result; an error response or no answer in time fails with what is known. */
    private JsonObject send(String method, JsonObject params, Duration timeout) {
        long id = ids.incrementAndGet();
        CompletableFuture<JsonObject> answer = new CompletableFuture<>();
        pending.put(id, answer);
        String message = Json.createObjectBuilder().add("id", id).add("method", method).add("params", params).build()
                .toString();
        try {
            synchronized (socket) {
                socket.sendText(message, true).get(timeout.toSeconds(), TimeUnit.SECONDS);
            }
            JsonObject response = answer.get(timeout.toSeconds(), TimeUnit.SECONDS);
            if ("error".equals(response.getString("type", ""))) {
                throw new AssertionError(name + ": BiDi " + method + " failed: " + response);
            }
            return response.getJsonObject("result");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(name + ": no answer to BiDi " + method + " within "
                    + timeout.toSeconds() + " s (browser alive: " + process.isAlive() + ")", e);
        } finally {
            pending.remove(id);
        }
    }

    /** Collects (possibly fragmented) text messages and completes the command each answers; events are ignored. */
    private final class Receiver implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                JsonObject m = read(text.toString()).asJsonObject();
                text.setLength(0);
                if (m.containsKey("id") && m.get("id").getValueType() == JsonValue.ValueType.NUMBER) {
                    CompletableFuture<JsonObject> f = pending.get(m.getJsonNumber("id").longValue());
                    if (f != null) {
                        f.complete(m);
                    }
                }
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            pending.values().forEach(f -> f.completeExceptionally(new IOException("BiDi socket closed: "
                    + statusCode + " " + reason)));
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            pending.values().forEach(f -> f.completeExceptionally(error));
        }
    }

    // ---- helpers

    private static void kill(Process process) {
        List<ProcessHandle> all = process.descendants().collect(Collectors.toCollection(ArrayList::new));
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle p : all) {
            try {
                p.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                // reported by the caller's leftover check, if any
            }
        }
    }

    private static JsonValue read(String json) {
        try (JsonReader r = Json.createReader(new StringReader(json))) {
            return r.readValue();
        }
    }

    @SuppressWarnings("unchecked")
    static JsonValue toJson(Object o) {
        if (o == null) {
            return JsonValue.NULL;
        } else if (o instanceof Boolean b) {
            return b ? JsonValue.TRUE : JsonValue.FALSE;
        } else if (o instanceof String s) {
            return Json.createValue(s);
        } else if (o instanceof Integer || o instanceof Long) {
            return Json.createValue(((Number) o).longValue());
        } else if (o instanceof Number n) {
            return Json.createValue(n.doubleValue());
        } else if (o instanceof Map<?, ?> m) {
            JsonObjectBuilder b = Json.createObjectBuilder();
            m.forEach((k, v) -> b.add(String.valueOf(k), toJson(v)));
            return b.build();
        } else if (o instanceof Iterable<?> l) {
            JsonArrayBuilder b = Json.createArrayBuilder();
            l.forEach(v -> b.add(toJson(v)));
            return b.build();
        } else if (o instanceof JsonValue v) {
            return v;
        }
        throw new IllegalArgumentException("not JSON: " + o.getClass());
    }

    static Object toJava(JsonValue v) {
        switch (v.getValueType()) {
            case NULL:
                return null;
            case TRUE:
                return true;
            case FALSE:
                return false;
            case STRING:
                return ((JsonString) v).getString();
            case NUMBER:
                JsonNumber n = (JsonNumber) v;
                return n.isIntegral() ? (Object) n.longValue() : (Object) n.doubleValue();
            case ARRAY:
                List<Object> list = new ArrayList<>();
                v.asJsonArray().forEach(x -> list.add(toJava(x)));
                return list;
            default:
                Map<String, Object> map = new LinkedHashMap<>();
                v.asJsonObject().forEach((k, x) -> map.put(k, toJava(x)));
                return map;
        }
    }

    private static Map<String, Object> prefs(Object... pairs) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], pairs[i + 1]);
        }
        return m;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
