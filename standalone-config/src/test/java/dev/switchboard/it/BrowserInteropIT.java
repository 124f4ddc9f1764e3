package dev.switchboard.it;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Firefox ESR (over WebDriver BiDi, {@link Firefox}) and Chromium (through ChromeDriver) in one mesh room of the
 * browser page, each with a fake camera and microphone: each decodes the other's video and receives its audio, and
 * both keep doing so (the counters grow); chat crosses the DataChannel both ways. Once with Firefox joining (it
 * offers, Chromium answers) and once the other way round. Both pages are saved as PNGs under
 * target/screenshots/. Every wait is bounded and generous.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class BrowserInteropIT {

    /** Joining, ICE and the first decoded frames with two browsers starting on 2 busy cores. */
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(30);
    /** How many more frames and audio packets must arrive after the call is up: about a second of each. */
    private static final int MORE = 10;
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    /** Firefox's headless window size (Chromium's is smaller): both tiles in the screenshot. */
    private static final List<String> WINDOW = List.of("--window-size=1366,768");

    private final List<Browser> browsers = new ArrayList<>();

    @Deployment(testable = false)
    static EnterpriseArchive deployment() {
        return TestServer.ear();
    }

    @AfterEach
    void closeBrowsers() {
        browsers.forEach(Browser::close);
        browsers.clear();
    }

    @Test
    void firefoxJoinsChromiumsRoom() throws Exception {
        Browser chromium = open(Chromium.start("chromium", WINDOW));
        Browser firefox = open(Firefox.start("firefox"));
        seeAndHearEachOther(chromium, firefox, "firefox-joins");
    }

    @Test
    void chromiumJoinsFirefoxsRoom() throws Exception {
        Browser firefox = open(Firefox.start("firefox"));
        Browser chromium = open(Chromium.start("chromium", WINDOW));
        seeAndHearEachOther(firefox, chromium, "chromium-joins");
    }

    private Browser open(Browser b) {
        browsers.add(b);
        return b;
    }

    /** {@code first} creates a room through the page, {@code second} joins it by its link (and so offers). */
    private static void seeAndHearEachOther(Browser first, Browser second, String label) throws Exception {
        try {
            call(first, second);
        } finally {
            // to look at, passed or failed
            for (Browser x : List.of(first, second)) {
                try {
                    System.out.println("screenshot: " + x.screenshot(SCREENSHOTS.resolve("BrowserInteropIT-" + label
                            + "-" + x.name() + ".png")).toAbsolutePath());
                } catch (RuntimeException e) {
                    System.out.println("no screenshot of " + x.name() + ": " + e);
                }
            }
        }
    }

    private static void call(Browser first, Browser second) throws Exception {
        first.get(TestServer.BASE + "/");
        signIn(first);
        first.await("document.getElementById('room-name').value = 'interop';"
                + " document.getElementById('create-button').click();");
        String room = (String) waitForState(first, "the room to be joined", STEP_TIMEOUT, BrowserInteropIT::joined)
                .get("room");
        second.get(TestServer.BASE + "/?room=" + room);
        signIn(second);
        assertEquals(room, second.await("return document.getElementById('room-id').value;"), "the link fills the room");
        second.await("document.getElementById('join-button').click();");
        waitForState(second, "the room to be joined", STEP_TIMEOUT, BrowserInteropIT::joined);

        Map<String, Object> a = awaitPeer(first, p -> num(p, "framesDecoded") > 0 && num(p, "audioPackets") > 0,
                "video decoded and audio received", CALL_TIMEOUT);
        Map<String, Object> b = awaitPeer(second, p -> num(p, "framesDecoded") > 0 && num(p, "audioPackets") > 0,
                "video decoded and audio received", CALL_TIMEOUT);
        // not one burst: both keep decoding the other's video and receiving its audio
        Map<Browser, Map<String, Object>> upAt = new LinkedHashMap<>(Map.of(first, a));
        upAt.put(second, b);
        for (Map.Entry<Browser, Map<String, Object>> e : upAt.entrySet()) {
            double frames = num(e.getValue(), "framesDecoded");
            double packets = num(e.getValue(), "audioPackets");
            Map<String, Object> p = awaitPeer(e.getKey(), q -> num(q, "framesDecoded") >= frames + MORE
                    && num(q, "audioPackets") >= packets + MORE, "frames and audio packets to keep coming",
                    STEP_TIMEOUT);
            assertEquals("direct", p.get("path"), "both are on loopback: " + p);
            assertTrue(num(p, "audioEnergy") > 0, e.getKey().name() + " hears the other's fake tone: " + p);
            System.out.printf("%s sees %s: %s, path %s (%s ↔ %s), %s frames decoded, %s audio packets, energy %s%n",
                    e.getKey().name(), p.get("user"), p.get("connectionState"), p.get("path"), p.get("local"),
                    p.get("remote"), p.get("framesDecoded"), p.get("audioPackets"), p.get("audioEnergy"));
        }
        for (Browser x : List.of(first, second)) {
            // the tile the user sees: the remote video plays at its size, state and path in the caption
            Object video = x.waitFor("the remote video to play", "(() => { const v = document.querySelector("
                    + "'#peers video'); const t = document.querySelector('#peers .state');"
                    + " return v && t ? {w: v.videoWidth, h: v.videoHeight, t: v.currentTime, state: t.textContent}"
                    + " : null; })()", STEP_TIMEOUT, v -> v instanceof Map<?, ?> m && ((Number) m.get("w")).intValue() > 0
                    && ((Number) m.get("t")).doubleValue() > 0 && "connected".equals(m.get("state")));
            System.out.println(x.name() + " plays the remote video: " + video);
        }
        chat(first, second);
        chat(second, first);
    }

    private static void signIn(Browser b) throws InterruptedException {
        // the page shows the dev form once /api/client-config said the server is in dev mode
        b.waitFor("the dev-mode sign-in form", "!document.getElementById('signin-dev').hidden", STEP_TIMEOUT,
                Boolean.TRUE::equals);
        b.await("document.getElementById('name').value = args[0];"
                + " document.getElementById('signin-button').click();", Rooms.unique(b.name()));
        b.waitFor("the lobby", "!document.getElementById('lobby').hidden", STEP_TIMEOUT, Boolean.TRUE::equals);
    }

    /** {@code from} types a line into the chat; {@code to} shows it. */
    private static void chat(Browser from, Browser to) throws InterruptedException {
        String line = "hello from " + from.name() + " " + System.nanoTime();
        from.await("document.getElementById('chat-text').value = args[0];"
                + " document.getElementById('chat-send').click();", line);
        to.waitFor("the chat line '" + line + "'", "document.getElementById('chat-log').textContent", STEP_TIMEOUT,
                t -> String.valueOf(t).contains(line));
    }

    // ---- what the page says

    @SuppressWarnings("unchecked")
    private static Map<String, Object> waitForState(Browser b, String what, Duration timeout,
                                                    Predicate<Map<String, Object>> done) throws InterruptedException {
        return (Map<String, Object>) b.waitFor(what, "window.switchboard.state()", timeout, v -> {
            Map<String, Object> st = (Map<String, Object>) v;
            if (st.get("error") != null) {
                throw new AssertionError(b.name() + " shows an error while waiting for " + what + ": " + st);
            }
            return done.test(st);
        });
    }

    private static boolean joined(Map<String, Object> st) {
        return st.get("signaling") instanceof Map<?, ?> s && "joined".equals(s.get("state"));
    }

    /** Waits until the page has exactly one peer, connected with an open chat channel, for which {@code done} holds. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> awaitPeer(Browser b, Predicate<Map<String, Object>> done, String what,
                                                 Duration timeout) throws InterruptedException {
        Map<String, Object> st = waitForState(b, what, timeout, s -> {
            List<Map<String, Object>> peers = (List<Map<String, Object>>) s.get("peers");
            return peers.size() == 1 && peers.get(0).get("error") == null
                    && "connected".equals(peers.get(0).get("connectionState"))
                    && "open".equals(peers.get(0).get("channel")) && done.test(peers.get(0));
        });
        return ((List<Map<String, Object>>) st.get("peers")).get(0);
    }

    /** A number the page reports; absent (no stats yet) is 0. */
    private static double num(Map<String, Object> peer, String key) {
        Object v = peer.get(key);
        return v == null ? 0 : ((Number) v).doubleValue();
    }
}
