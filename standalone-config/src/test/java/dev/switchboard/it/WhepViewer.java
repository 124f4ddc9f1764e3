package dev.switchboard.it;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A Chromium WHEP viewer (recvonly audio and video, plain browser APIs in webrtc/whip.js, as a third-party client
 * would be) and what the WHIP/WHEP tests read from it. Every wait is bounded.
 */
final class WhepViewer {

    static final String WHIP_JS = Chromium.resource("/webrtc/whip.js");

    private WhepViewer() {
    }

    /** A browser on the app's origin (fetch to the API is same-origin), with the WHIP/WHEP helpers installed. */
    static Chromium browser(String name) throws Exception {
        // Chromium as users have it: since its ClientHello carries a post-quantum key share (1,413 bytes, two
        // handshake fragments), the relay must reassemble it; --disable-features=WebRtcPqcForDtls would hide that
        Chromium b = Chromium.start(name, List.of("--allow-loopback-in-peer-connection"));
        try {
            b.get(TestServer.BASE + "/");
            b.await(WHIP_JS);
            return b;
        } catch (RuntimeException e) {
            b.close();
            throw e;
        }
    }

    /** Waits (bounded by {@code timeout}) until the viewer's received bytes stand still for {@code still}. */
    static void awaitStill(Chromium viewer, Duration timeout, Duration still) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long last = bytes(viewer);
        long stillSince = System.nanoTime();
        while (System.nanoTime() - stillSince < still.toNanos()) {
            if (System.nanoTime() > deadline) {
                fail("the viewer kept receiving for " + timeout.toSeconds() + " s after the publisher's session "
                        + "was deleted; last: " + viewer.await("return await SbWhip.stats(SbWhip.viewer);"));
            }
            Thread.sleep(500);
            long now = bytes(viewer);
            if (now != last) {
                last = now;
                stillSince = System.nanoTime();
            }
        }
    }

    static long bytes(Chromium viewer) {
        Map<?, ?> s = (Map<?, ?>) viewer.await("return await SbWhip.stats(SbWhip.viewer);");
        return ((Number) s.get("bytesReceived")).longValue();
    }

    /** An inbound-rtp counter of {@code kind} from {@code SbWhip.stats}, 0 while there is none. */
    static long count(Object stats, String kind, String counter) {
        Object k = ((Map<?, ?>) stats).get(kind);
        return k instanceof Map<?, ?> m && m.get(counter) instanceof Number n ? n.longValue() : 0;
    }
}
