package dev.switchboard.it;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A call whose TURN node dies recovers through the backup ({@link ClusterLab}, two nodes): two Chromium peers in one
 * page, {@code iceTransportPolicy: 'relay'}, with the home and backup TURN servers {@code /api/ice-servers} names
 * (their UDP URLs); once media flows, the node that relays the caller's side is killed with SIGKILL, the page restarts
 * ICE when its connection is no longer connected (as an application does on {@code disconnected}/{@code failed}),
 * and the call must carry DataChannel messages and decoded video again, relayed by the surviving node. The recovery
 * time (kill to messages both ways after it) is printed; the page's bound ({@link #RECOVERY_BOUND}) only catches a
 * call that never recovers.
 */
class ClusterTurnLossIT extends ClusterLabTest {

    /**
     * Ample (ICE notices in about 5 s, the restart gathers anew in a second or two), and under the browser driver's
     * 45 s script timeout ({@link Chromium#SCRIPT_TIMEOUT}).
     */
    private static final Duration RECOVERY_BOUND = Duration.ofSeconds(40);
    private static final Duration BOUND = Duration.ofSeconds(30);

    private static Chromium browser;

    /**
     * After the kill: restarts ICE (once) as soon as either side is not connected, and meanwhile sends a message each
     * way every 500 ms until one sent after the kill arrives each way and both decode new frames.
     */
    private static final String RECOVER = """
            const [timeoutMs] = args;
            const a = window.sbA, b = window.sbB;
            const deadline = Date.now() + timeoutMs;
            const framesBefore = [await a.framesDecoded(), await b.framesDecoded()];
            const seen = [a.received.length, b.received.length];
            let restarted = false, n = 0;
            const ok = s => s === 'connected' || s === 'completed';
            while (true) {
                if (!restarted && (!ok(a.pc.iceConnectionState) || !ok(b.pc.iceConnectionState))) {
                    restarted = true;
                    await a.pc.setLocalDescription(await a.pc.createOffer({iceRestart: true}));
                    await b.pc.setRemoteDescription(a.pc.localDescription);
                    await b.pc.setLocalDescription(await b.pc.createAnswer());
                    await a.pc.setRemoteDescription(b.pc.localDescription);
                }
                n++;
                for (const p of [a, b]) {
                    if (p.channel && p.channel.readyState === 'open') {
                        p.channel.send(p.name + ' after ' + n);
                    }
                }
                const got = (p, i, other) => p.received.slice(seen[i]).some(m => m.startsWith(other + ' after '));
                if (got(a, 0, 'b') && got(b, 1, 'a') && await a.framesDecoded() > framesBefore[0]
                        && await b.framesDecoded() > framesBefore[1]) {
                    return {restarted, a: await a.report(), b: await b.report()};
                }
                if (Date.now() > deadline) {
                    throw new Error('no recovery; a: ' + a.describe() + '; b: ' + b.describe());
                }
                await new Promise(r => setTimeout(r, 500));
            }
            """;

    @BeforeAll
    static void startClusterAndBrowser() throws Exception {
        // relay-to-relay on loopback: the relays must let a permission name a loopback peer
        lab = ClusterLab.start(2, List.of("-Dswitchboard.turn.allow-peers=127.0.0.0/8"));
        browser = Chromium.start("turn-loss", List.of());
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
            browser = null;
        }
    }

    /** Node 1's /api/ice-servers, once it names both nodes (a home and a backup): their UDP URLs only. */
    private static List<Map<String, Object>> homeAndBackup(String user) throws Exception {
        long deadline = System.nanoTime() + BOUND.toNanos();
        List<JsonObject> turn = List.of();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = TestServer.requestTo(lab.node(0).base(), "GET", "/api/ice-servers", null,
                    Rooms.USER, user);
            assertEquals(200, r.statusCode(), r.body());
            turn = TestServer.array(r.body()).stream().map(JsonValue::asJsonObject)
                    .filter(o -> o.containsKey("username")).toList();
            if (turn.size() == 2) {
                List<Map<String, Object>> servers = new ArrayList<>();
                for (JsonObject o : turn) {
                    List<String> udp = o.getJsonArray("urls").getValuesAs(JsonString.class).stream()
                            .map(JsonString::getString).filter(u -> u.endsWith("?transport=udp")).toList();
                    servers.add(Map.of("urls", udp, "username", o.getString("username"),
                            "credential", o.getString("credential")));
                }
                return servers;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("node 1 never named two TURN servers: " + turn);
    }

    /** The node whose TURN server {@code url} names. */
    private static ClusterLab.Node nodeOf(Object url) {
        for (ClusterLab.Node n : lab.nodes()) {
            if (("turn:127.0.0.1:" + n.stunUdp().getPort() + "?transport=udp").equals(url)) {
                return n;
            }
        }
        throw new AssertionError("no node serves " + url);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> local(Map<String, Object> report) {
        return (Map<String, Object>) ((Map<String, Object>) report.get("pair")).get("local");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aCallWhoseTurnNodeDiesRecoversThroughTheBackup() throws Exception {
        List<Map<String, Object>> servers = homeAndBackup(Rooms.unique("loss"));
        Map<String, Object> config = Map.of("iceServers", servers, "iceTransportPolicy", "relay");
        browser.open(lab.node(0).base() + "/");
        Map<String, Object> before = (Map<String, Object>) browser.await(
                "return await sbStartLoopbackCall(args[0], args[1], args[2]);", config, WebRtc.MESSAGES,
                WebRtc.CALL_TIMEOUT.toMillis());
        Map<String, Object> a = (Map<String, Object>) before.get("a");
        assertEquals("relay", local(a).get("candidateType"), "relayed from the start: " + a);
        ClusterLab.Node dying = nodeOf(local(a).get("url"));
        System.out.printf("call up: a relayed by %s (%s), b by %s%n", dying.name(), local(a).get("url"),
                local((Map<String, Object>) before.get("b")).get("url"));

        long killed = System.nanoTime();
        lab.kill(dying);
        Map<String, Object> after = (Map<String, Object>) browser.await(RECOVER, RECOVERY_BOUND.toMillis());
        long recoveryMs = (System.nanoTime() - killed) / 1_000_000;
        System.out.printf("TURN node %s killed: media flowed again after %d ms (ICE restarted: %s)%n", dying.name(),
                recoveryMs, after.get("restarted"));
        for (String side : new String[]{"a", "b"}) {
            Map<String, Object> report = (Map<String, Object>) after.get(side);
            Map<String, Object> pair = (Map<String, Object>) report.get("pair");
            assertTrue(pair != null && "relay".equals(local(report).get("candidateType")), side + ": " + report);
            assertNotEquals(dying, nodeOf(local(report).get("url")), side + " still relayed by the dead node: "
                    + report);
            assertEquals("relay", ((Map<String, Object>) pair.get("remote")).get("candidateType"), side + ": "
                    + report);
        }
    }
}
