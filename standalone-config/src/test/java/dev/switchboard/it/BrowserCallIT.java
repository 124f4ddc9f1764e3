package dev.switchboard.it;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The browser client page (web/src/main/webapp) in headless Chromium, one browser (own profile, fake camera and
 * microphone) per participant, driven through its own forms: sign in (dev mode), create or join a room, and the
 * mesh call through our signaling, ICE servers from {@code /api/ice-servers}. Shown: two and three participants
 * see and hear each other (video frames decoded, audio packets with energy, chat over the DataChannel, for every
 * ordered pair); relay-only, every selected pair is relay/relay through our TURN; a participant whose socket drops
 * resumes within the grace period with the same id and keeps its call. Every wait is bounded.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class BrowserCallIT {

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(40);
    /** A page step (a form shown, a tile updated, a chat line, a resume): ample with several browsers on 2 cores. */
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(20);
    private static final String TURN_URL_PREFIX = "turn:127.0.0.1:" + TestServer.STUN_PORT + "?transport=";

    private final List<Chromium> browsers = new ArrayList<>();

    @Deployment(testable = false)
    static EnterpriseArchive deployment() {
        return TestServer.ear();
    }

    @AfterEach
    void closeBrowsers() {
        browsers.forEach(Chromium::close);
        browsers.clear();
    }

    @Test
    void twoParticipantsSeeHearAndChatDirectly() throws Exception {
        List<Chromium> call = call(2, false);
        Map<String, Map<String, Object>> peers = awaitMesh(call, false);
        for (Map<String, Object> p : peers.values()) {
            assertEquals("direct", p.get("path"), "the page reports the path; both may talk directly: " + p);
        }
        chatEveryWay(call);
    }

    @Test
    void threeParticipantsRelayOnlyThroughOurTurn() throws Exception {
        List<Chromium> call = call(3, true);
        Map<String, Map<String, Object>> peers = awaitMesh(call, true);
        assertEquals(6, peers.size(), "every ordered pair of three");
        for (Map.Entry<String, Map<String, Object>> e : peers.entrySet()) {
            Map<String, Object> p = e.getValue();
            assertEquals("relayed", p.get("path"), e.getKey() + ": " + p);
            for (String side : new String[]{"local", "remote"}) {
                @SuppressWarnings("unchecked")
                Map<String, Object> c = (Map<String, Object>) p.get(side);
                assertEquals("relay", c.get("type"), e.getKey() + " " + side + ": " + p);
                assertEquals("127.0.0.1", c.get("address"), e.getKey() + " " + side + ": " + p);
                int port = ((Number) c.get("port")).intValue();
                assertTrue(port >= 50000 && port <= 59999, "our relayed range; " + e.getKey() + ": " + p);
            }
            @SuppressWarnings("unchecked")
            String url = (String) ((Map<String, Object>) p.get("local")).get("url");
            assertTrue(url != null && url.startsWith(TURN_URL_PREFIX), "from our TURN server (ice-servers): " + url);
        }
        chatEveryWay(call);
    }

    @Test
    void aDroppedSocketResumesAndKeepsTheCall() throws Exception {
        List<Chromium> call = call(2, false);
        awaitMesh(call, false);
        Chromium dropper = call.get(1);
        String id = (String) signaling(dropper).get("participant");
        long framesBefore = frames(call.get(0));

        script(dropper, "window.switchboard.dropSocket();");
        Map<String, Object> s = waitFor(dropper, "the socket to resume", STEP_TIMEOUT, st -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> sig = (Map<String, Object>) st.get("signaling");
            return "joined".equals(sig.get("state")) && ((Number) sig.get("reconnects")).intValue() >= 1;
        });
        @SuppressWarnings("unchecked")
        Map<String, Object> sig = (Map<String, Object>) s.get("signaling");
        assertEquals(id, sig.get("participant"), "the same participant after the resume: " + s);
        assertEquals(4000L, ((Number) ((Map<?, ?>) sig.get("lastClose")).get("code")).longValue(), s.toString());

        // the call went on: more frames arrive, the other side still has its peer, chat works
        waitFor(call.get(0), "video to keep coming", CALL_TIMEOUT, st -> peersOf(st).size() == 1
                && num(peersOf(st).get(0), "framesDecoded") > framesBefore + 10
                && id.equals(peersOf(st).get(0).get("id")) && "connected".equals(peersOf(st).get(0).get("connectionState")));
        chatEveryWay(call);

        // and signaling through the resumed socket: a newcomer offers to the resumed participant, which answers
        Chromium third = join(call.get(0), "carol", false);
        call.add(third);
        awaitMesh(call, false);
    }

    /** The page's socket with a WebSocket whose first {@code refusals} connections are closed 4503 at once. */
    private static final String DEGRADED_NODE = "const Real = window.WebSocket; let refused = 0;"
            + "window.WebSocket = function (url) {"
            + "  if (refused < args[2]) { refused++;"
            + "    const fake = {readyState: 0, send() {}, close() {}};"
            + "    setTimeout(() => fake.onclose({code: 4503, reason: 'cluster-degraded: test'}), 5); return fake; }"
            + "  return new Real(url); };"
            + "window.WebSocket.OPEN = Real.OPEN;"
            + "const {Signaling} = await import('/js/signaling.js');"
            + "const s = new Signaling('/signal'); const closed = []; s.addEventListener('closed', e => closed.push(e.detail.code));"
            + "const started = Date.now();"
            + "try { const m = await s.join(args[0], args[1]); const r = {type: m.type, refused, closed, state: s.state};"
            + "  s.leave(); return r; }"
            + "catch (e) { return {failed: e.code, refused, closed, state: s.state, ms: Date.now() - started}; }"
            + "finally { window.WebSocket = Real; }";

    @Test
    void aJoinADegradedNodeRefusesIsTriedAgainWithTheSameTicket() throws Exception {
        Chromium b = browser("dora");
        b.driver().get(TestServer.BASE + "/");
        String room = Rooms.create(Rooms.unique("host"), 4);
        String user = Rooms.unique("dora");
        // two refusals (4503 spends no ticket), then the server: joined with the ticket of the first try
        Map<?, ?> joined = (Map<?, ?>) b.await(DEGRADED_NODE, room, Rooms.ticket(room, user), 2);
        assertEquals("joined", joined.get("type"), joined.toString());
        assertEquals(2L, ((Number) joined.get("refused")).longValue(), joined.toString());
        assertEquals(List.of(), joined.get("closed"), "no 'closed' while it tries again: " + joined);
        // a node that stays degraded: the page gives up after its 10 s, closed with the server's code
        Map<?, ?> failed = (Map<?, ?>) b.await(DEGRADED_NODE, room, Rooms.ticket(room, user), 1000);
        assertEquals(4503L, ((Number) failed.get("failed")).longValue(), failed.toString());
        assertEquals("closed", failed.get("state"), failed.toString());
        assertEquals(List.of(4503L), failed.get("closed"), failed.toString());
        assertTrue(((Number) failed.get("refused")).intValue() >= 5, "backing off 250 ms to 2 s: " + failed);
    }

    // ---- driving the page

    /** {@code n} browsers in one new room: the first creates it through the page, the others join by its link. */
    private List<Chromium> call(int n, boolean relayOnly) throws Exception {
        String[] names = {"alice", "bob", "carol"};
        List<Chromium> call = new ArrayList<>();
        Chromium first = browser(names[0]);
        first.driver().get(TestServer.BASE + "/" + (relayOnly ? "?relay=1" : ""));
        signIn(first, Rooms.unique(names[0]));
        first.driver().findElement(By.id("room-name")).clear();
        first.driver().findElement(By.id("room-name")).sendKeys("browser call");
        first.driver().findElement(By.id("create-button")).click();
        waitFor(first, "the room to be joined", Duration.ofSeconds(20), st -> st.get("signaling") != null
                && "joined".equals(((Map<?, ?>) st.get("signaling")).get("state")));
        call.add(first);
        for (int i = 1; i < n; i++) {
            call.add(join(first, names[i], relayOnly));
        }
        return call;
    }

    private Chromium join(Chromium inRoom, String name, boolean relayOnly) throws Exception {
        String room = (String) state(inRoom).get("room");
        Chromium b = browser(name);
        b.driver().get(TestServer.BASE + "/?room=" + room + (relayOnly ? "&relay=1" : ""));
        signIn(b, Rooms.unique(name));
        assertEquals(room, b.driver().findElement(By.id("room-id")).getAttribute("value"), "the link fills the room");
        b.driver().findElement(By.id("join-button")).click();
        waitFor(b, "the room to be joined", Duration.ofSeconds(20), st -> st.get("signaling") != null
                && "joined".equals(((Map<?, ?>) st.get("signaling")).get("state")));
        return b;
    }

    private Chromium browser(String name) throws Exception {
        Chromium b = Chromium.start(name, null, null);
        browsers.add(b);
        return b;
    }

    private static void signIn(Chromium b, String user) throws InterruptedException {
        ChromeDriver d = b.driver();
        WebElement name = d.findElement(By.id("name"));
        // the page shows the dev form once /api/client-config said the server is in dev mode
        long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
        while (!name.isDisplayed()) {
            if (System.nanoTime() > deadline) {
                fail("the dev-mode sign-in form did not appear; the page says " + state(b));
            }
            Thread.sleep(50);
        }
        name.sendKeys(user);
        d.findElement(By.id("signin-button")).click();
    }

    // ---- what the page says

    @SuppressWarnings("unchecked")
    private static Map<String, Object> state(Chromium b) {
        return (Map<String, Object>) ((JavascriptExecutor) b.driver())
                .executeScript("return window.switchboard.state();");
    }

    private static void script(Chromium b, String js) {
        ((JavascriptExecutor) b.driver()).executeScript(js);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> signaling(Chromium b) {
        return (Map<String, Object>) state(b).get("signaling");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> peersOf(Map<String, Object> state) {
        return (List<Map<String, Object>>) state.get("peers");
    }

    private static long frames(Chromium b) {
        return (long) num(peersOf(state(b)).get(0), "framesDecoded");
    }

    /** A number the page reports; absent (no stats yet) is 0. */
    private static double num(Map<String, Object> peer, String key) {
        Object v = peer.get(key);
        return v == null ? 0 : ((Number) v).doubleValue();
    }

    private static Map<String, Object> waitFor(Chromium b, String what, Duration timeout,
                                               Predicate<Map<String, Object>> done) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Object> st = state(b);
        while (!done.test(st)) {
            if (System.nanoTime() > deadline) {
                fail("waited " + timeout.toSeconds() + " s for " + what + "; the page says " + st);
            }
            if (st.get("error") != null) {
                fail("the page shows an error while waiting for " + what + ": " + st);
            }
            Thread.sleep(200);
            st = state(b);
        }
        return st;
    }

    /**
     * Waits until every browser has a connected peer for every other participant that decodes video and receives
     * audio with energy; returns those peers keyed "viewer→participant".
     */
    private static Map<String, Map<String, Object>> awaitMesh(List<Chromium> call, boolean relayOnly)
            throws InterruptedException {
        Map<String, Map<String, Object>> out = new java.util.LinkedHashMap<>();
        long deadline = System.nanoTime() + CALL_TIMEOUT.toNanos();
        List<String> ids = new ArrayList<>();
        for (Chromium b : call) {
            ids.add((String) signaling(b).get("participant"));
        }
        for (int i = 0; i < call.size(); i++) {
            Chromium b = call.get(i);
            String me = ids.get(i);
            assertEquals(relayOnly ? "relay" : "all", state(b).get("iceTransportPolicy"));
            Map<String, Object> st = waitFor(b, "a working call with everyone", Duration.ofNanos(
                    Math.max(1, deadline - System.nanoTime())), s -> {
                List<Map<String, Object>> peers = peersOf(s);
                if (peers.size() != call.size() - 1) {
                    return false;
                }
                for (Map<String, Object> p : peers) {
                    if (!ids.contains(p.get("id")) || !"connected".equals(p.get("connectionState"))
                            || !"open".equals(p.get("channel"))
                            || num(p, "framesDecoded") <= 0 || num(p, "audioPackets") <= 0
                            || num(p, "audioEnergy") <= 0) {
                        return false;
                    }
                }
                return true;
            });
            for (Map<String, Object> p : peersOf(st)) {
                assertTileShows(b, (String) p.get("id"), (String) p.get("path"));
                out.put(me + "→" + p.get("id"), p);
                System.out.printf("%s sees %s: %s, path %s (%s ↔ %s), %s frames decoded, %s audio packets, energy %s%n",
                        me, p.get("id"), p.get("connectionState"), p.get("path"), p.get("local"), p.get("remote"),
                        p.get("framesDecoded"), p.get("audioPackets"), p.get("audioEnergy"));
            }
        }
        return out;
    }

    /** What the user sees: the peer's tile shows its connection state and whether its path is direct or relayed. */
    private static void assertTileShows(Chromium b, String peer, String path) throws InterruptedException {
        assertTrue("direct".equals(path) || "relayed".equals(path), "the page's path for " + peer + ": " + path);
        long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
        String shown = "no tile";
        while (System.nanoTime() < deadline) {
            List<WebElement> tiles = b.driver().findElements(By.cssSelector("#peers [data-peer='" + peer + "']"));
            if (tiles.size() == 1) {
                WebElement state = tiles.get(0).findElement(By.className("state"));
                WebElement route = tiles.get(0).findElement(By.className("path"));
                shown = state.getText() + " · " + route.getText();
                if ("connected".equals(state.getText()) && route.getText().startsWith(path + " (")
                        && path.equals(route.getAttribute("data-path"))) {
                    return;
                }
            }
            Thread.sleep(100);
        }
        fail("the tile of " + peer + " should show connected and " + path + ", shows: " + shown);
    }

    /** Each browser types a line into the chat; every other browser shows it. */
    private static void chatEveryWay(List<Chromium> call) throws InterruptedException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < call.size(); i++) {
            String line = "hello from " + i + " " + System.nanoTime();
            lines.add(line);
            ChromeDriver d = call.get(i).driver();
            d.findElement(By.id("chat-text")).sendKeys(line);
            d.findElement(By.id("chat-send")).click();
        }
        for (int i = 0; i < call.size(); i++) {
            List<String> expected = new ArrayList<>(lines);
            waitFor(call.get(i), "chat lines " + expected, STEP_TIMEOUT, s -> {
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> chat = (List<Map<String, Object>>) s.get("chat");
                return expected.stream().allMatch(l -> chat.stream().anyMatch(m -> l.equals(m.get("text"))));
            });
            assertTrue(call.get(i).driver().findElement(By.id("chat-log")).getText().contains(lines.get(
                    (i + 1) % call.size())), "the chat log shows the others' lines");
        }
    }
}
