package dev.switchboard.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The SFU under a bad network: a Chromium WHIP publisher (fake camera at 640x480, simulcast q/h/f at a quarter, half
 * and full size; libwebrtc sends only q and h for a source this small) on a clean path to the server, and a Chromium
 * WHEP viewer on a link whose server side is shaped with {@code tc} ({@link ShapedLinkLab}). The server is the real
 * one, a second WildFly in the lab ({@link LabServer}; the Arquillian container is bound to this process's loopback,
 * out of a namespace's reach), with default settings.
 * <ol>
 *   <li>5 % random loss for 20 s (iptables' {@code statistic} match: this machine's kernel has no netem qdisc): the
 *       server's RTX count rises ({@code switchboard_sfu_retransmissions_total}), the viewer NACKs
 *       ({@code nackCount}) and keeps decoding in every 5-s slice, with freezes bounded (their total under a quarter
 *       of the window) and few frames dropped.</li>
 *   <li>A 300 kbit/s cap ({@code tbf}): the viewer is given the low layer (its decoded height at most the q layer's,
 *       read from the publisher's own outbound-rtp) and keeps decoding it; the cap lifted, it climbs back above the q
 *       layer within 60 s (the SFU probes the viewer's path with padding, and an upgrade waits 2 s;
 *       docs/sfu.md "The SFU service").</li>
 * </ol>
 * Loss and cap act on the server → viewer direction only: that is the path the SFU repairs (RTX from its cache) and
 * estimates (transport-wide-cc feedback from the viewer), and a subscriber's cap is on its download. The uplink stays
 * clean, so a NACK or feedback report is never what was lost: what the test sees is the SFU's answer to downstream
 * loss, not the viewer's luck with its RTCP.
 *
 * <p>The climb back needs the SFU's probing: without it (before 2026-12-07's probing commit) the viewer stayed on q
 * in 3 runs of 4, since an estimate built from a q-only stream (~140 kbit/s plus audio) never reached h's cost
 * (~1.1 × 250 kbit/s plus audio). With padding probes at the missing bitrate the estimate rises once the cap is gone,
 * and the allocator upgrades after its hold time (docs/sfu.md, "The SFU service", Probing).
 *
 * <p>Thresholds leave room for a loaded 2-core machine (a publisher encoding three layers, a viewer decoding, WildFly):
 * none depends on speed beyond "at least one frame per second". Evidence (both browsers' full getStats, the metrics,
 * the qdisc and loss-rule counters, the server log) is written to {@code target/sfu-network-quality/} on every run.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SfuNetworkQualityIT {

    private static final String ORIGIN = "http://" + ShapedLinkLab.SERVER + ":8080";
    private static final String WHIP_JS = Chromium.resource("/webrtc/whip.js");
    private static final Path EVIDENCE = Path.of("target/sfu-network-quality");
    private static final Duration MEDIA_TIMEOUT = Duration.ofSeconds(45);
    /** The loss window, in slices each of which must decode frames. */
    private static final int LOSS_SLICES = 4;
    private static final Duration LOSS_SLICE = Duration.ofSeconds(5);
    private static final Duration CAPPED_TIMEOUT = Duration.ofSeconds(45);
    /** How long the capped viewer must stay on the low layer, still decoding. */
    private static final Duration CAPPED_HOLD = Duration.ofSeconds(10);
    private static final Duration CLIMB_TIMEOUT = Duration.ofSeconds(60);

    private static ShapedLinkLab lab;
    private static LabServer server;
    private static Chromium publisher;
    private static Chromium viewer;

    @BeforeAll
    static void setUp() throws Exception {
        String reason = NatLab.unavailableReason();
        assumeTrue(reason == null, "network namespaces unavailable, the network quality test cannot run: " + reason);
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/tc")), "tc is missing (iproute2)");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/iptables")), "iptables is missing");
        Files.createDirectories(EVIDENCE);
        try {
            lab = ShapedLinkLab.create();
            server = LabServer.start(lab.ns("pub"), ShapedLinkLab.SERVER);
            publisher = Chromium.start("publisher", lab.ns("pub"), ORIGIN, ShapedLinkLab.SERVER);
            viewer = Chromium.start("viewer", lab.ns("view"), ORIGIN, ShapedLinkLab.SERVER);
            server.awaitHealthy();
            publishAndView();
        } catch (Exception | Error e) {
            tearDown();
            throw e;
        }
    }

    @AfterAll
    static void tearDown() {
        try (ShapedLinkLab l = lab) {
            for (Chromium c : new Chromium[]{publisher, viewer}) {
                if (c != null) {
                    c.close();
                }
            }
            if (server != null) {
                server.closeKeepingLog(EVIDENCE.resolve("server.log"));
            }
        } finally {
            lab = null;
            server = null;
            publisher = null;
            viewer = null;
        }
    }

    private static void publishAndView() throws InterruptedException {
        publisher.get(ORIGIN + "/");
        publisher.await(WHIP_JS);
        viewer.get(ORIGIN + "/");
        viewer.await(WHIP_JS);
        String owner = Rooms.unique("broadcaster");
        String room = (String) publisher.await("return await SbWhip.createRoom(args[0], 'sfu');", owner);
        publisher.await("return await SbWhip.publishSimulcast(args[0], args[1]);", "/api/rooms/" + room + "/whip",
                owner);
        // q and h: for a 640x480 source libwebrtc encodes two simulcast layers at most (its layer limit by
        // resolution), so f is negotiated but never sent (seen: f framesEncoded 0, q 160x120 and h 320x240 flowing)
        publisher.waitFor("the publisher's connection to connect (ICE and DTLS) and its q and h layers to be encoded",
                "(async () => ({s: await SbWhip.stats(SbWhip.publisher),"
                        + " l: await SbWhip.layers(SbWhip.publisher)}))()",
                MEDIA_TIMEOUT, r -> "connected".equals(get(r, "s", "connectionState"))
                        && number(r, "l", "q", "framesEncoded") > 0 && number(r, "l", "h", "framesEncoded") > 0);
        viewer.await("return await SbWhip.view(args[0], args[1]);", "/api/rooms/" + room + "/whep",
                Rooms.unique("viewer"));
        viewer.waitFor("the viewer to decode video", "SbWhip.stats(SbWhip.viewer)", MEDIA_TIMEOUT,
                s -> number(s, "video", "framesDecoded") > 0);
    }

    @Test
    @Order(1)
    void withFivePercentLossTheServerRetransmitsAndVideoKeepsDecoding() throws Exception {
        Map<?, ?> before = viewerVideo();
        double rtxBefore = metric("switchboard_sfu_retransmissions_total", "");
        double nacksBefore = metric("switchboard_sfu_nacks_total", "direction=\"received\"");
        List<Long> decoded = new ArrayList<>();
        Map<?, ?> after;
        String qdisc;
        try {
            lab.lose("0.05");
            long last = number(before, "framesDecoded");
            for (int i = 0; i < LOSS_SLICES; i++) {
                Thread.sleep(LOSS_SLICE.toMillis());
                long now = number(viewerVideo(), "framesDecoded");
                decoded.add(now - last);
                last = now;
            }
            after = viewerVideo();
            qdisc = lab.qdisc();
        } finally {
            lab.unshape();
            evidence("loss");
        }
        double rtxAfter = metric("switchboard_sfu_retransmissions_total", "");
        double nacksAfter = metric("switchboard_sfu_nacks_total", "direction=\"received\"");
        String seen = "\nviewer video before: " + before + "\nafter: " + after + "\nframes decoded per "
                + LOSS_SLICE.toSeconds() + " s: " + decoded + "\nserver RTX " + rtxBefore + " → " + rtxAfter
                + ", NACKs received " + nacksBefore + " → " + nacksAfter + "\nlink: " + qdisc;
        System.out.println("5 % loss:" + seen);

        assertTrue(rtxAfter > rtxBefore, "the server retransmitted nothing under 5 % loss" + seen);
        assertTrue(nacksAfter > nacksBefore, "the server received no NACK under 5 % loss" + seen);
        assertTrue(delta(before, after, "nackCount") > 0, "the viewer sent no NACK under 5 % loss" + seen);
        assertTrue(delta(before, after, "packetsLost") + delta(before, after, "retransmittedPacketsReceived") > 0,
                "nothing was lost or repaired: the loss rule did not act" + seen);
        long window = LOSS_SLICE.toSeconds();
        for (long d : decoded) {
            // at least one frame a second in every slice: the fake camera sends 30, a loaded machine decodes fewer
            assertTrue(d >= window, "video stopped decoding for a " + window + "-s slice under 5 % loss" + seen);
        }
        double frozen = delta(before, after, "totalFreezesDuration");
        assertTrue(frozen < LOSS_SLICES * window / 4.0, "frozen " + frozen + " s of " + LOSS_SLICES * window
                + " s under 5 % loss" + seen);
        long dropped = delta(before, after, "framesDropped");
        long total = delta(before, after, "framesDecoded");
        assertTrue(dropped <= total / 4, dropped + " frames dropped against " + total + " decoded" + seen);
    }

    @Test
    @Order(2)
    void aSubscriberCappedAt300KbitGetsTheLowLayerAndClimbsBackWhenTheCapLifts() throws Exception {
        long capped;
        long start = System.nanoTime();
        List<String> timeline = new ArrayList<>();
        try {
            lab.shape("tbf", "rate", "300kbit", "burst", "16kb", "latency", "300ms");
            // low: the decoded height at most the q layer's as the publisher encodes it now (CPU adaptation may
            // have scaled every layer down: the q layer's own height is the measure, not 480 / 4)
            Map<?, ?> low = awaitViewer("the capped viewer to be given the low layer", CAPPED_TIMEOUT, timeline, start,
                    (v, q) -> number(v, "frameHeight") > 0 && number(v, "frameHeight") <= q);
            capped = number(low, "framesDecoded");
            Thread.sleep(CAPPED_HOLD.toMillis());
            Map<?, ?> held = viewerVideo();
            long q = layerHeight("q");
            timeline.add(line(start, held, q));
            String seen = "\ntimeline (s, viewer frameHeight, framesDecoded, q height):\n" + String.join("\n", timeline)
                    + "\nlink: " + lab.qdisc();
            assertTrue(number(held, "frameHeight") <= q, "the capped viewer left the low layer" + seen);
            assertTrue(number(held, "framesDecoded") - capped >= CAPPED_HOLD.toSeconds(),
                    "the capped viewer stopped decoding the low layer" + seen);
        } finally {
            lab.unshape();
            evidence("capped");
        }
        long lifted = System.nanoTime();
        timeline.add("cap lifted at " + (lifted - start) / 1_000_000_000 + " s");
        try {
            Map<?, ?> high = awaitViewer("the viewer to climb back above the low layer once the cap lifted",
                    CLIMB_TIMEOUT, timeline, start, (v, q) -> number(v, "frameHeight") > q);
            System.out.println("300 kbit/s cap, then lifted: back to " + number(high, "frameHeight") + " after "
                    + (System.nanoTime() - lifted) / 1_000_000_000 + " s\n" + String.join("\n", timeline));
        } finally {
            evidence("lifted");
        }
    }

    private interface ViewerCondition {
        boolean test(Map<?, ?> viewerVideo, long qHeight);
    }

    /** Samples the viewer's video and the q layer's height every second until {@code condition}; bounded. */
    private static Map<?, ?> awaitViewer(String what, Duration timeout, List<String> timeline, long start,
                                         ViewerCondition condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Map<?, ?> v = viewerVideo();
            long q = layerHeight("q");
            timeline.add(line(start, v, q));
            if (condition.test(v, q)) {
                return v;
            }
            if (System.nanoTime() > deadline) {
                fail("waited " + timeout.toSeconds() + " s for " + what + "\ntimeline (s, viewer frameHeight, "
                        + "framesDecoded, q height):\n" + String.join("\n", timeline) + "\npublisher layers: "
                        + publisher.await("return await SbWhip.layers(SbWhip.publisher);") + "\nlink: " + lab.qdisc()
                        + "\nSFU metrics:\n" + sfuMetrics());
            }
            Thread.sleep(1000);
        }
    }

    private static String line(long start, Map<?, ?> v, long q) {
        return (System.nanoTime() - start) / 1_000_000_000 + " s: " + number(v, "frameHeight") + " "
                + number(v, "framesDecoded") + " " + q;
    }

    private static Map<?, ?> viewerVideo() {
        Object s = viewer.await("return await SbWhip.stats(SbWhip.viewer);");
        Object video = ((Map<?, ?>) s).get("video");
        if (!(video instanceof Map<?, ?> m)) {
            throw new AssertionError("the viewer has no inbound video: " + s);
        }
        return m;
    }

    private static long layerHeight(String rid) {
        return number(publisher.await("return await SbWhip.layers(SbWhip.publisher);"), rid, "frameHeight");
    }

    private static long delta(Map<?, ?> before, Map<?, ?> after, String counter) {
        return number(after, counter) - number(before, counter);
    }

    /** A number in nested maps (0 when absent). */
    private static long number(Object root, String... path) {
        Object v = get(root, path);
        return v instanceof Number n ? (long) n.doubleValue() : 0;
    }

    private static Object get(Object root, String... path) {
        Object v = root;
        for (String p : path) {
            v = v instanceof Map<?, ?> m ? m.get(p) : null;
        }
        return v;
    }

    /** One sample of a Prometheus series of the lab server's metrics; fails when the series is missing. */
    private static double metric(String name, String labels) throws IOException {
        String text = server.metrics();
        Matcher m = Pattern.compile("(?m)^" + name + "\\{([^}]*)\\} (\\S+)$").matcher(text);
        while (m.find()) {
            if (m.group(1).contains(labels)) {
                return Double.parseDouble(m.group(2));
            }
        }
        m = Pattern.compile("(?m)^" + name + " (\\S+)$").matcher(text);
        if (labels.isEmpty() && m.find()) {
            return Double.parseDouble(m.group(1));
        }
        throw new AssertionError("no " + name + "{" + labels + "} in the metrics:\n" + sfuMetrics(text));
    }

    private static String sfuMetrics() {
        try {
            return sfuMetrics(server.metrics());
        } catch (IOException e) {
            return "(metrics unreadable: " + e + ")";
        }
    }

    private static String sfuMetrics(String text) {
        return String.join("\n", text.lines().filter(l -> l.startsWith("switchboard_sfu")).toList());
    }

    /** Both browsers' full getStats, the SFU metrics and the link's counters, under target/sfu-network-quality/. */
    private static void evidence(String step) {
        try {
            Files.writeString(EVIDENCE.resolve(step + "-viewer-stats.json"),
                    (String) viewer.await("return await SbWhip.dump(SbWhip.viewer);"));
            Files.writeString(EVIDENCE.resolve(step + "-publisher-stats.json"),
                    (String) publisher.await("return await SbWhip.dump(SbWhip.publisher);"));
            Files.writeString(EVIDENCE.resolve(step + "-metrics.txt"), sfuMetrics() + "\n\nlink:\n" + lab.qdisc());
        } catch (IOException | RuntimeException | AssertionError e) {
            System.out.println("evidence for " + step + " not written: " + e);
        }
    }
}
