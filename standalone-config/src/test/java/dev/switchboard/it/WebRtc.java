package dev.switchboard.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Calls between {@code SbPeer}s (webrtc/peer.js) and the checks that prove one: DataChannel messages both ways, a
 * decoded video frame each way, and the selected candidate pair as the browser reports it.
 */
final class WebRtc {

    static final int MESSAGES = 3;
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    private WebRtc() {
    }

    /** An RTCConfiguration with one ICE server. */
    static Map<String, Object> config(String url, String user, String password, String policy) {
        Map<String, Object> server = user == null ? Map.of("urls", List.of(url))
                : Map.of("urls", List.of(url), "username", user, "credential", password);
        return Map.of("iceServers", List.of(server), "iceTransportPolicy", policy);
    }

    /** Two peers in one page, signaled in the page; returns their reports ({@code a}, {@code b}) once the call is up. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> loopbackCall(Chromium browser, Map<String, Object> config) {
        return (Map<String, Object>) browser.await("return await sbLoopbackCall(args[0], args[1], args[2]);",
                config, MESSAGES, CALL_TIMEOUT.toMillis());
    }

    /**
     * One peer per browser, the test carrying offer, answer and trickled candidates between them (signaling is the
     * server's job in a later issue) until {@code done} holds for the two peers' {@code status()} or the time is up.
     *
     * @return whether {@code done} held in time
     */
    static boolean signal(Chromium caller, Chromium callee, Map<String, Object> config, Duration timeout,
                          BiPredicate<Map<String, Object>, Map<String, Object>> done) throws InterruptedException {
        Object offer = caller.await("window.peer = new SbPeer(args[0], args[1]); return await peer.offer();",
                "caller", config);
        Object answer = callee.await("window.peer = new SbPeer(args[0], args[1]); return await peer.answer(args[2]);",
                "callee", config, offer);
        caller.await("await peer.accept(args[0]);", answer);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            callee.await("await peer.addCandidates(args[0]);", caller.await("return peer.takeCandidates();"));
            caller.await("await peer.addCandidates(args[0]);", callee.await("return peer.takeCandidates();"));
            if (done.test(status(caller), status(callee))) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> status(Chromium browser) {
        return (Map<String, Object>) browser.await("return peer.status();");
    }

    static String describe(Chromium browser) {
        return String.valueOf(browser.await("return peer.describe();"));
    }

    /** Over an established two-browser call: messages both ways, then a decoded frame on each side. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> exchange(Chromium caller, Chromium callee) {
        long deadline = System.currentTimeMillis() + CALL_TIMEOUT.toMillis();
        caller.await("peer.send(args[0]);", MESSAGES);
        callee.await("peer.send(args[0]);", MESSAGES);
        List<Map<String, Object>> reports = new ArrayList<>();
        for (Chromium b : List.of(caller, callee)) {
            b.await("await peer.receive(args[0], args[1]); await peer.decoding(args[1]);", MESSAGES, deadline);
            reports.add((Map<String, Object>) b.await("return await peer.report();"));
        }
        return reports;
    }

    /**
     * The peer {@code report} received the other's messages in order, decoded video, and its selected pair is
     * relay/relay: a local relay candidate from {@code iceUrl} over {@code relayProtocol} at {@code relayAddress}
     * with a port in the relayed range, and a remote relay candidate at the same server.
     */
    @SuppressWarnings("unchecked")
    static void assertRelayed(Map<String, Object> report, String otherName, String iceUrl, String relayProtocol,
                              String relayAddress, int minPort, int maxPort) {
        String name = (String) report.get("name");
        String context = name + ": " + report;
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= MESSAGES; i++) {
            expected.add(otherName + " " + i);
        }
        assertEquals(expected, report.get("received"), "DataChannel messages from " + otherName + "; " + context);
        assertTrue(((Number) report.get("framesDecoded")).longValue() > 0, "no video frame decoded; " + context);

        Map<String, Object> pair = (Map<String, Object>) report.get("pair");
        assertNotNull(pair, "no selected candidate pair; " + context);
        assertEquals("succeeded", pair.get("state"), context);
        assertTrue(((Number) pair.get("bytesSent")).longValue() > 0
                && ((Number) pair.get("bytesReceived")).longValue() > 0, "no bytes on the pair; " + context);
        Map<String, Object> local = (Map<String, Object>) pair.get("local");
        Map<String, Object> remote = (Map<String, Object>) pair.get("remote");
        assertEquals("relay", local.get("candidateType"), "local candidate; " + context);
        assertEquals("relay", remote.get("candidateType"), "remote candidate; " + context);
        assertEquals(relayProtocol, local.get("relayProtocol"), "transport to the TURN server; " + context);
        assertEquals(iceUrl, local.get("url"), "the relay candidate's ICE server; " + context);
        for (Map<String, Object> c : List.of(local, remote)) {
            assertEquals(relayAddress, c.get("address"), "relayed address; " + context);
            int port = ((Number) c.get("port")).intValue();
            assertTrue(port >= minPort && port <= maxPort, "relayed port " + port + " outside " + minPort + "-"
                    + maxPort + "; " + context);
        }
        // the evidence, in the test's output
        System.out.printf("%s: %s/%s %s:%s (relayed over %s via %s) <-> %s/%s %s:%s, %s frames decoded, received %s%n",
                name, local.get("candidateType"), local.get("protocol"), local.get("address"), local.get("port"),
                local.get("relayProtocol"), local.get("url"), remote.get("candidateType"), remote.get("protocol"),
                remote.get("address"), remote.get("port"), report.get("framesDecoded"), report.get("received"));
    }
}
