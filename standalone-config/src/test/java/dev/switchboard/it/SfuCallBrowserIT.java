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
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The call page (web/src/main/webapp, js/sfu.js) in an {@code sfu} room: each browser publishes its fake camera (three
 * simulcast layers) and microphone to the relay's SFU and subscribes to everyone else through signaling. Shown: four
 * Chromium participants each decode the other three's video and receive their audio; the fourth, joining late, shows
 * each first frame within 1 s of its receiving connection connecting (measured in the page: the connection's
 * {@code connected} event to the video element's first presented frame, so page load, sign-in and ICE do not
 * count); a participant who leaves has its tracks end for everyone; Firefox ESR and Chromium see each other; a
 * participant restricted to TURN over TCP/TLS (iceTransportPolicy relay) joins through our TURN and decodes. Every
 * wait is bounded and generous (browsers on 2 cores). Screenshots go to target/screenshots.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class SfuCallBrowserIT {

    private static final Duration MEDIA_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(30);
    /** What the issue asks of a late joiner: a keyframe, hence a first decoded frame, within 1 s. */
    private static final long FIRST_FRAME_MS = 1000;
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final String STATE = "window.switchboard.state()";

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
    void fourChromiumParticipantsALateJoinerAndALeaver() throws Exception {
        String room = Rooms.create(Rooms.unique("host"), 8, "sfu");
        List<Browser> call = new ArrayList<>();
        for (String name : List.of("alice", "bob", "carol")) {
            call.add(join(chromium(name), room, name, ""));
        }
        awaitEveryoneSeesEveryone(room, call);

        call.add(join(chromium("dave"), room, "dave", ""));
        Map<String, Object> all = awaitEveryoneSeesEveryone(room, call);
        System.out.println("four participants: " + all);

        // mute, chat and the speaker highlight as the others see them; then screenshots
        Browser alice = call.get(0);
        String aliceId = participant(alice);
        alice.await("document.getElementById('mic').click();");
        alice.await("const t = document.getElementById('chat-text'); t.value = 'hello from alice';"
                + "document.getElementById('chat-send').click();");
        for (Browser b : call.subList(1, call.size())) {
            b.waitFor("alice's tile to show her muted and her chat line", STATE, STEP_TIMEOUT, st -> {
                Map<?, ?> s = (Map<?, ?>) st;
                Map<?, ?> remote = remote((Map<?, ?>) s.get("sfu"), aliceId);
                return remote != null && Boolean.TRUE.equals(((Map<?, ?>) remote.get("muted")).get("audio"))
                        && ((List<?>) s.get("chat")).stream().anyMatch(c -> "hello from alice".equals(((Map<?, ?>) c).get("text")));
            });
        }
        bob(call).await("const t = document.getElementById('chat-text'); t.value = 'hi alice, you are muted';"
                + "document.getElementById('chat-send').click();");
        alice.waitFor("bob's line", STATE, STEP_TIMEOUT, st -> ((List<?>) ((Map<?, ?>) st).get("chat")).size() >= 2);
        Thread.sleep(1500); // a stats poll, so the tiles show resolutions
        for (Browser b : call) {
            b.screenshot(SCREENSHOTS.resolve("sfu-call-4-" + b.name() + ".png"));
        }

        // carol leaves: her tracks end for the three others
        Browser carol = call.get(2);
        String carolId = participant(carol);
        carol.await("document.getElementById('leave').click();");
        for (Browser b : List.of(call.get(0), call.get(1), call.get(3))) {
            b.waitFor("carol's tracks to end", STATE + ".sfu", STEP_TIMEOUT, st -> {
                List<?> tracks = (List<?>) ((Map<?, ?>) st).get("tracks");
                List<?> hers = tracks.stream().filter(t -> carolId.equals(((Map<?, ?>) t).get("publisher"))).toList();
                return hers.size() >= 2 && hers.stream().noneMatch(t -> Boolean.TRUE.equals(((Map<?, ?>) t).get("live")));
            });
        }
        call.get(3).screenshot(SCREENSHOTS.resolve("sfu-call-after-leave-dave.png"));

        // bob shares his screen: a second video track by renegotiation, which the others decode on a tile of its own
        Browser bob = bob(call);
        String bobId = participant(bob);
        // a real click: getDisplayMedia needs the user's gesture
        ((Chromium) bob).driver().findElement(org.openqa.selenium.By.id("share")).click();
        for (Browser b : List.of(call.get(0), call.get(3))) {
            b.waitFor("bob's screen", STATE + ".sfu", STEP_TIMEOUT, st -> ((List<?>) ((Map<?, ?>) st).get("tracks"))
                    .stream().map(t -> (Map<?, ?>) t).filter(t -> bobId.equals(t.get("publisher"))
                            && "video".equals(t.get("kind")) && Boolean.TRUE.equals(t.get("live"))
                            && num(t, "framesDecoded") > 0).count() == 2);
        }
        Thread.sleep(1500);
        call.get(0).screenshot(SCREENSHOTS.resolve("sfu-call-screen-share-alice.png"));
    }

    /**
     * Two publishers, then a late joiner: each first frame it shows comes within 1 s of its receiving connection
     * connecting (the SFU asks the publishers for a keyframe when the subscriber's DTLS completes). Three browsers, not
     * four: what is measured is the SFU's keyframe path, not how a crowded 2-core machine schedules four encoders.
     */
    @Test
    void aLateJoinerShowsEachFirstFrameWithinOneSecondOfConnecting() throws Exception {
        String room = Rooms.create(Rooms.unique("host"), 4, "sfu");
        List<Browser> call = new ArrayList<>();
        for (String name : List.of("alice", "bob")) {
            call.add(join(chromium(name), room, name, ""));
        }
        awaitEveryoneSeesEveryone(room, call);
        Browser carol = join(chromium("carol"), room, "carol", "");
        call.add(carol);
        awaitEveryoneSeesEveryone(room, call);
        Map<?, ?> sfu = (Map<?, ?>) carol.await("return " + STATE + ".sfu;");
        List<Long> firstFrames = new ArrayList<>();
        for (Object t : (List<?>) sfu.get("tracks")) {
            Map<?, ?> track = (Map<?, ?>) t;
            if ("video".equals(track.get("kind")) && Boolean.TRUE.equals(track.get("live"))) {
                Object ms = track.get("firstFrameAfterConnect");
                assertTrue(ms instanceof Number, "carol measured the first frame of " + track + "; events "
                        + sfu.get("events"));
                firstFrames.add(((Number) ms).longValue());
            }
        }
        System.out.println("late joiner: first frame after its subscriber connection connected, per video: "
                + firstFrames + " ms");
        assertEquals(2, firstFrames.size(), "two videos for carol: " + sfu);
        for (long ms : firstFrames) {
            assertTrue(ms <= FIRST_FRAME_MS, "carol's first frames came " + firstFrames + " ms after her subscriber "
                    + "connection connected; the issue asks for at most " + FIRST_FRAME_MS + " ms. Events: "
                    + sfu.get("events"));
        }
    }

    @Test
    void firefoxAndChromiumSeeEachOther() throws Exception {
        String room = Rooms.create(Rooms.unique("host"), 4, "sfu");
        Browser chromium = join(chromium("chromium"), room, "chromium", "");
        Browser firefox = Firefox.start("firefox");
        browsers.add(firefox);
        join(firefox, room, "firefox", "");
        awaitEveryoneSeesEveryone(room, List.of(chromium, firefox));
        chromium.screenshot(SCREENSHOTS.resolve("sfu-call-with-firefox-chromium.png"));
        firefox.screenshot(SCREENSHOTS.resolve("sfu-call-with-firefox-firefox.png"));
    }

    @Test
    void aParticipantRestrictedToTurnOverTcpJoinsThroughOurTurn() throws Exception {
        String room = Rooms.create(Rooms.unique("host"), 4, "sfu");
        Browser direct = join(chromium("direct"), room, "direct", "");
        Browser relayed = join(chromium("relayed"), room, "relayed", "&relay=tcp");
        awaitEveryoneSeesEveryone(room, List.of(direct, relayed));
        Map<?, ?> st = (Map<?, ?>) relayed.await("return " + STATE + ";");
        assertEquals("relay", st.get("iceTransportPolicy"));
        for (Object server : (List<?>) st.get("iceServers")) {
            for (Object url : (List<?>) ((Map<?, ?>) server).get("urls")) {
                assertTrue(!String.valueOf(url).contains("transport=udp") && String.valueOf(url).startsWith("turn"),
                        "only TURN over TCP or TLS: " + url);
            }
        }
        Map<?, ?> sfu = (Map<?, ?>) st.get("sfu");
        assertEquals("relayed", sfu.get("path"), sfu.toString());
        Map<?, ?> local = (Map<?, ?>) sfu.get("local");
        assertEquals("relay", local.get("type"), sfu.toString());
        assertTrue("tcp".equals(local.get("relayProtocol")) || "tls".equals(local.get("relayProtocol")),
                "through TURN over TCP or TLS: " + local);
        String url = String.valueOf(local.get("url"));
        assertTrue(url.contains("127.0.0.1:" + TestServer.STUN_PORT) || url.contains("127.0.0.1:" + TestServer.TLS_PORT),
                "our TURN server: " + url);
        relayed.screenshot(SCREENSHOTS.resolve("sfu-call-relayed.png"));
    }

    // ---- driving the page

    private Browser chromium(String name) throws Exception {
        // Chromium as users have it (its DTLS ClientHello comes in fragments); loopback candidates for the SFU's
        // 127.0.0.1 and TURN
        Chromium b = Chromium.start(name, List.of("--allow-loopback-in-peer-connection", "--window-size=1280,860"));
        browsers.add(b);
        return b;
    }

    /** Opens the room's link, signs in through the dev-mode form and joins; waits for signaling to be joined. */
    private static Browser join(Browser b, String room, String name, String query) throws Exception {
        return join(b, TestServer.BASE, room, name, query);
    }

    /** As {@link #join(Browser, String, String, String)}, on the server at {@code base} (a cluster's node). */
    static Browser join(Browser b, String base, String room, String name, String query) throws Exception {
        return join(b, base, room, name, query, true);
    }

    /** As above; {@code sfu}: also waits for the page's SFU call (false for a p2p room). */
    static Browser join(Browser b, String base, String room, String name, String query, boolean sfu)
            throws Exception {
        b.get(base + "/?room=" + room + query);
        b.await("const until = async (f, what) => { for (let i = 0; i < 400; i++) { if (f()) return;"
                + " await new Promise(r => setTimeout(r, 50)); } throw new Error('no ' + what); };"
                + "const $ = id => document.getElementById(id);"
                + "await until(() => !$('signin-dev').hidden, 'dev sign-in form');"
                + "$('name').value = args[0]; $('signin-button').click();"
                + "await until(() => !$('lobby').hidden, 'lobby');"
                + "$('join-button').click();", Rooms.unique(name));
        b.waitFor("the room to be joined", STATE, STEP_TIMEOUT, st -> {
            Map<?, ?> s = (Map<?, ?>) st;
            if (s.get("error") != null) {
                throw new AssertionError(b.name() + " shows an error: " + s);
            }
            Map<?, ?> sig = (Map<?, ?>) s.get("signaling");
            return sig != null && "joined".equals(sig.get("state")) && (!sfu || s.get("sfu") != null);
        });
        return b;
    }

    static String participant(Browser b) {
        return (String) ((Map<?, ?>) b.await("return " + STATE + ".signaling;")).get("participant");
    }

    private static Browser bob(List<Browser> call) {
        return call.get(1);
    }

    private static Map<?, ?> remote(Map<?, ?> sfu, String id) {
        for (Object r : (List<?>) sfu.get("remotes")) {
            if (id.equals(((Map<?, ?>) r).get("id"))) {
                return (Map<?, ?>) r;
            }
        }
        return null;
    }

    /**
     * Waits until every browser decodes a live video track (framesDecoded > 0) and receives a live audio track
     * (packetsReceived > 0) of each other participant, both connections connected; returns what each saw.
     */
    private static Map<String, Object> awaitEveryoneSeesEveryone(String room, List<Browser> call) throws Exception {
        try {
            return awaitMedia(call);
        } catch (AssertionError e) { // what each page and the relay's SFU have, short first, for whoever reads it
            throw new AssertionError(received(call) + "\n" + e.getMessage() + "\nthe SFU's view of the room: "
                    + TestServer.get("/api/rooms/" + room).body(), e);
        }
    }

    /** Per browser, each track it receives in brief: whose, which kind, live, frames decoded or packets. */
    private static String received(List<Browser> call) {
        StringBuilder out = new StringBuilder("received:");
        for (Browser b : call) {
            out.append(' ').append(b.name()).append('[');
            try {
                Map<?, ?> sfu = (Map<?, ?>) b.await("return " + STATE + ".sfu;");
                out.append("publish ").append(sfu.get("publish")).append(", subscribe ").append(sfu.get("subscribe"));
                for (Object t : (List<?>) sfu.get("tracks")) {
                    Map<?, ?> track = (Map<?, ?>) t;
                    out.append("; ").append(track.get("publisher")).append(' ').append(track.get("kind"))
                            .append(Boolean.TRUE.equals(track.get("live")) ? " live" : " ended")
                            .append(" frames ").append((long) num(track, "framesDecoded"))
                            .append(" packets ").append((long) num(track, "packets"));
                }
            } catch (Exception | AssertionError e) {
                out.append(e);
            }
            out.append(']');
        }
        return out.toString();
    }

    static Map<String, Object> awaitMedia(List<Browser> call) throws Exception {
        List<String> ids = new ArrayList<>();
        for (Browser b : call) {
            ids.add(participant(b));
        }
        Map<String, Object> seen = new java.util.LinkedHashMap<>();
        long deadline = System.nanoTime() + MEDIA_TIMEOUT.toNanos();
        for (int i = 0; i < call.size(); i++) {
            Browser b = call.get(i);
            String me = ids.get(i);
            Object st = b.waitFor("video and audio of " + (call.size() - 1) + " others", STATE + ".sfu",
                    Duration.ofNanos(Math.max(1, deadline - System.nanoTime())), s -> {
                        Map<?, ?> sfu = (Map<?, ?>) s;
                        if (sfu.get("error") != null) {
                            throw new AssertionError(b.name() + " shows an error: " + sfu);
                        }
                        if (!"connected".equals(sfu.get("publish")) || !"connected".equals(sfu.get("subscribe"))) {
                            return false;
                        }
                        for (String other : ids) {
                            if (other.equals(me)) {
                                continue;
                            }
                            boolean video = false;
                            boolean audio = false;
                            for (Object t : (List<?>) sfu.get("tracks")) {
                                Map<?, ?> track = (Map<?, ?>) t;
                                if (!other.equals(track.get("publisher")) || !Boolean.TRUE.equals(track.get("live"))) {
                                    continue;
                                }
                                video |= "video".equals(track.get("kind")) && num(track, "framesDecoded") > 0;
                                audio |= "audio".equals(track.get("kind")) && num(track, "packets") > 0;
                            }
                            if (!video || !audio) {
                                return false;
                            }
                        }
                        return true;
                    });
            seen.put(b.name() + " (" + me + ")", ((Map<?, ?>) st).get("tracks"));
        }
        return seen;
    }

    private static double num(Map<?, ?> m, String key) {
        return m.get(key) instanceof Number n ? n.doubleValue() : 0;
    }
}
