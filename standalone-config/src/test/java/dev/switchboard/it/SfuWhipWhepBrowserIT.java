package dev.switchboard.it;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Chromium WHIP publisher (fake camera and microphone, sendonly, max-bundle) and a Chromium WHEP viewer (recvonly
 * audio and video) in one {@code sfu} room, each in its own browser, speaking WHIP/WHEP with plain browser APIs
 * (webrtc/whip.js): the viewer decodes the publisher's video and receives its audio through the SFU; when the
 * publisher's session is deleted the viewer stops receiving. Every wait is bounded and generous (two browsers on
 * 2 cores). Each step's failure names the step. As of the SFU service's first merge it fails at the publisher's DTLS
 * (ICE succeeds; the relay drops Chromium 150's ClientHello, which comes in two handshake fragments) and, past that,
 * at the viewer ("WHEP POST answered 400 … viewers are not served yet").
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class SfuWhipWhepBrowserIT {

    private static final Duration MEDIA_TIMEOUT = Duration.ofSeconds(30);
    /** How long the viewer's byte count must stand still to count as stopped: many RTP packet intervals. */
    private static final Duration STILL = Duration.ofSeconds(3);

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
    void aWhepViewerDecodesAWhipPublisherUntilItLeaves() throws Exception {
        String owner = Rooms.unique("broadcaster");
        String room = Rooms.create(owner, 4, "sfu");
        Chromium publisher = browser("publisher");
        Chromium viewer = browser("viewer");

        Map<?, ?> published = (Map<?, ?>) publisher.await("return await SbWhip.publish(args[0], args[1]);",
                "/api/rooms/" + room + "/whip", owner);
        String publisherSession = (String) published.get("location");
        assertTrue(publisherSession != null && publisherSession.contains("/api/rooms/" + room + "/whip/"),
                "WHIP Location: " + published);
        assertTrue(String.valueOf(published.get("links")).contains("rel=\"ice-server\""), "WHIP Link headers: " + published);
        // the viewer comes once the publisher's media flows, as a WHEP audience joins a running broadcast
        // ICE first, then DTLS: the pair succeeds before the connection is connected
        publisher.waitFor("the publisher's selected candidate pair to succeed (ICE) and its connection to connect (DTLS)",
                "SbWhip.stats(SbWhip.publisher)", MEDIA_TIMEOUT, s -> "succeeded".equals(((Map<?, ?>) s).get("pair"))
                        && "connected".equals(((Map<?, ?>) s).get("connectionState")));

        String viewerName = Rooms.unique("viewer");
        Map<?, ?> viewing = (Map<?, ?>) viewer.await("return await SbWhip.view(args[0], args[1]);",
                "/api/rooms/" + room + "/whep", viewerName);
        String viewerSession = (String) viewing.get("location");
        assertTrue(viewerSession != null && viewerSession.contains("/api/rooms/" + room + "/whep/"),
                "WHEP Location: " + viewing);

        viewer.waitFor("the viewer to decode video and receive audio", "SbWhip.stats(SbWhip.viewer)",
                MEDIA_TIMEOUT, s -> WhepViewer.count(s, "video", "framesDecoded") > 0
                        && WhepViewer.count(s, "audio", "packetsReceived") > 0);
        forwardingDelaysAreScraped();

        Map<?, ?> deleted = (Map<?, ?>) publisher.await("return await SbWhip.remove(args[0], args[1]);",
                publisherSession, owner);
        assertEquals(200L, ((Number) deleted.get("status")).longValue(), "DELETE of the WHIP session: " + deleted);
        WhepViewer.awaitStill(viewer, MEDIA_TIMEOUT, STILL);

        Map<?, ?> left = (Map<?, ?>) viewer.await("return await SbWhip.remove(args[0], args[1]);",
                viewerSession, viewerName);
        assertEquals(200L, ((Number) left.get("status")).longValue(), "DELETE of the WHEP session: " + left);
    }

    /**
     * The forwarded packets' time in the SFU, as Prometheus histogram buckets: cumulative (each bucket holds the ones
     * below it), the +Inf one counting every timed packet, at least the ones the viewer got by now; a sum with them.
     * Meters lag the relay by up to a second: scraped until the +Inf bucket shows packets (bounded).
     */
    private static void forwardingDelaysAreScraped() throws Exception {
        String bucket = "switchboard_sfu_forwarding_delay_total";
        String text = MetricsIT.scrape();
        for (long deadline = System.nanoTime() + 10_000_000_000L;
             MetricsIT.value(text, MetricsIT.series(bucket, "le=\"\\+Inf\"")) == 0 && System.nanoTime() < deadline; ) {
            Thread.sleep(500);
            text = MetricsIT.scrape();
        }
        double previous = 0;
        for (String le : List.of("0.00005", "0.0001", "0.00025", "0.0005", "0.001", "0.0025", "0.005", "0.01",
                "0.05", "0.25", "\\+Inf")) {
            double count = MetricsIT.value(text, MetricsIT.series(bucket, "le=\"" + le + "\""));
            assertTrue(count >= previous, "bucket le=" + le + " holds the ones below it:\n" + text);
            previous = count;
        }
        assertTrue(previous > 0, "packets timed:\n" + text);
        assertTrue(MetricsIT.value(text, MetricsIT.series("switchboard_sfu_forwarding_delay_seconds_total", ""))
                > 0, text);
    }

    private Chromium browser(String name) throws Exception {
        Chromium b = WhepViewer.browser(name);
        browsers.add(b);
        return b;
    }
}
