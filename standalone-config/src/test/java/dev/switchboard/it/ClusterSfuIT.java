package dev.switchboard.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Media across nodes on three nodes ({@link ClusterLab}), with Chromium on the call page: a p2p room whose two
 * participants' signaling sockets are on different nodes connects; an {@code sfu} room with one participant per node
 * has all its media on one node's SFU (every page's media goes to the same SFU port) and everyone decodes everyone;
 * then that media node is killed (SIGKILL) and the two participants on the survivors get their media back through a
 * survivor's SFU. Prints the time from the kill until both decode each other again; the bound asserted leaves room
 * for a loaded 2-core machine (the 15 s p95 is a benchmark's figure). The nodes start once for the class.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterSfuIT extends ClusterLabTest {

    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(60);
    /** Failure detection (1-2 s), the ticker (1 s), new sessions and a keyframe: seconds; a busy machine more. */
    private static final Duration RESTORE_BOUND = Duration.ofSeconds(90);
    private static final String STATE = "window.switchboard.state()";
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private final List<Browser> browsers = new ArrayList<>();

    @BeforeAll
    static void startCluster() throws Exception {
        lab = ClusterLab.start(3);
    }

    @AfterEach
    void closeBrowsers() {
        browsers.forEach(Browser::close);
        browsers.clear();
    }

    @Test
    @Order(1)
    void aP2pRoomWhoseParticipantsSitOnDifferentNodesConnects() throws Exception {
        String room = Rooms.create(lab.node(0).base(), Rooms.unique("host"), 4, "p2p");
        Browser ann = SfuCallBrowserIT.join(chromium("ann"), lab.node(0).base(), room, "ann", "", false);
        Browser bob = SfuCallBrowserIT.join(chromium("bob"), lab.node(1).base(), room, "bob", "", false);
        String annId = SfuCallBrowserIT.participant(ann);
        String bobId = SfuCallBrowserIT.participant(bob);
        for (Browser b : List.of(ann, bob)) {
            String other = b == ann ? bobId : annId;
            Object st = b.waitFor("a connected call with video from the other node's participant", STATE + ".peers",
                    STEP_TIMEOUT, peers -> ((List<?>) peers).stream().map(p -> (Map<?, ?>) p).anyMatch(p ->
                            other.equals(p.get("id")) && "connected".equals(p.get("connectionState"))
                                    && num(p, "framesDecoded") > 0 && num(p, "audioPackets") > 0));
            System.out.println("[ClusterSfuIT] p2p across nodes, " + b.name() + ": " + st);
        }
    }

    @Test
    @Order(2)
    void anSfuRoomAcrossNodesThenItsMediaNodeDiesAndTheSurvivorsGetTheirMediaBack() throws Exception {
        String room = Rooms.create(lab.node(0).base(), Rooms.unique("host"), 6, "sfu");
        List<Browser> call = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String name = List.of("ann", "bob", "cat").get(i);
            call.add(SfuCallBrowserIT.join(chromium(name), lab.node(i).base(), room, name, ""));
        }
        Map<String, Object> seen = SfuCallBrowserIT.awaitMedia(call);
        System.out.println("[ClusterSfuIT] sfu room, one participant per node: " + seen);

        // one media node for the room: every page's receiving connection goes to the same SFU port
        Map<Integer, Integer> mediaPorts = new HashMap<>();
        for (int i = 0; i < 3; i++) {
            mediaPorts.put(i, mediaPort(call.get(i)));
        }
        assertEquals(1, new HashSet<>(mediaPorts.values()).size(), "one media node for the room: " + mediaPorts);
        int media = -1;
        for (int i = 0; i < 3; i++) {
            if (lab.node(i).stunUdp().getPort() == mediaPorts.get(0)) {
                media = i;
            }
        }
        assertTrue(media >= 0, "the media goes to a node's SFU: " + mediaPorts);
        System.out.println("[ClusterSfuIT] the room's media node: " + lab.node(media).name());
        for (Browser b : call) {
            b.screenshot(SCREENSHOTS.resolve("cluster-sfu-" + b.name() + ".png"));
        }

        List<Browser> survivors = new ArrayList<>();
        List<Object> connectedBefore = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            if (i != media) {
                survivors.add(call.get(i));
                connectedBefore.add(call.get(i).await("return " + STATE + ".sfu.subscribeConnectedAt;"));
            }
        }
        long killed = System.nanoTime();
        lab.kill(lab.node(media));
        for (int k = 0; k < survivors.size(); k++) {
            Object before = connectedBefore.get(k);
            survivors.get(k).waitFor("a new receiving connection, connected", STATE + ".sfu", RESTORE_BOUND, s -> {
                Object at = ((Map<?, ?>) s).get("subscribeConnectedAt");
                return at != null && !at.equals(before) && "connected".equals(((Map<?, ?>) s).get("publish"));
            });
        }
        Map<String, Object> after = SfuCallBrowserIT.awaitMedia(survivors);
        long restoredMs = (System.nanoTime() - killed) / 1_000_000;
        Set<Integer> portsAfter = new HashSet<>();
        for (Browser b : survivors) {
            portsAfter.add(mediaPort(b));
        }
        System.out.println("[ClusterSfuIT] media node " + lab.node(media).name() + " killed; both survivors decode "
                + "each other again after " + restoredMs + " ms, now through SFU port " + portsAfter + ": " + after);
        assertEquals(1, portsAfter.size(), "one media node again: " + portsAfter);
        assertTrue(!portsAfter.contains(lab.node(media).stunUdp().getPort()), "a survivor's SFU: " + portsAfter);
        for (Browser b : survivors) {
            List<?> events = (List<?>) ((Map<?, ?>) b.await("return " + STATE + ".sfu;")).get("events");
            assertTrue(events.toString().contains("media moved"), b.name() + " was told: " + events);
        }
        assertTrue(restoredMs < RESTORE_BOUND.toMillis(), "restored after " + restoredMs + " ms");
    }

    /** The SFU port of the page's receiving connection (the remote candidate of its selected pair). */
    private static int mediaPort(Browser b) throws InterruptedException {
        Object remote = b.waitFor("the selected pair's remote candidate", STATE + ".sfu.remote", STEP_TIMEOUT,
                r -> r instanceof Map<?, ?> m && m.get("port") instanceof Number);
        return ((Number) ((Map<?, ?>) remote).get("port")).intValue();
    }

    private Browser chromium(String name) throws Exception {
        Chromium b = Chromium.start(name, List.of("--allow-loopback-in-peer-connection", "--window-size=1280,860"));
        browsers.add(b);
        return b;
    }

    private static double num(Map<?, ?> m, String key) {
        return m.get(key) instanceof Number n ? n.doubleValue() : 0;
    }
}
