package dev.switchboard.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * WHIP interop with GStreamer: meetecho's {@code whip-client} (simple-whip-client, GStreamer 1.22 {@code webrtcbin}
 * with libnice) publishes VP8 and Opus test sources into an {@code sfu} room, trickling its candidates by PATCH as it
 * does by default; a Chromium WHEP viewer (webrtc/whip.js) decodes its video and receives its audio. Then the client
 * is stopped with SIGTERM, on which it DELETEs its own session: the viewer stops receiving and the session is gone
 * (a second DELETE is 404).
 * <p>
 * The binary is {@value #DEFAULT_CLIENT} (system property {@code test.whip-client}), built from upstream source
 * against libsoup 3 by .ci/run: Debian 12's packaged {@code /usr/bin/whip-client} (0.0~git20230131) links libsoup 2.4
 * while libgstwebrtc pulls libsoup 3 in (libnice → gupnp-igd), and aborts at start ("libsoup2 symbols detected").
 * The client sends no credentials but a bearer token ({@code -t}); the server runs in dev mode, so it publishes as
 * dev mode's default caller ({@code dev}, tenant {@code default}), the room's tenant. Its output (log level 7: both
 * SDPs, every HTTP exchange's outcome) goes to target/gstreamer-whip/whip-client.log for diagnosis.
 * <p>
 * <b>Why in a lab.</b> libnice (0.1.21, under webrtcbin) cannot reach a relay on loopback: it gathers no loopback
 * candidate when another interface is up ("Ignoring loopback interface"), and it pins each host candidate's socket
 * to its interface ({@code IP_UNICAST_IF}), so checks to 127.0.0.1 leave by that interface and never arrive (seen
 * with strace; the client then says "ICE failed"). So the client runs in namespace {@code view} of a
 * {@link ShapedLinkLab} (unshaped), whose one interface faces the server: a {@link LabServer} in {@code pub} bound
 * to {@value ShapedLinkLab#SERVER}, with the viewer beside it. Nothing listens on this machine's own addresses.
 */
class GstreamerWhipIT {

    static final String DEFAULT_CLIENT = "/usr/local/bin/whip-client";
    private static final String CLIENT = System.getProperty("test.whip-client", DEFAULT_CLIENT);
    private static final String ORIGIN = "http://" + ShapedLinkLab.SERVER + ":8080";
    /** The pipelines of docs/whip-whep.md and sfu-facts.md: live VP8 and Opus test sources, payloaded for webrtcbin. */
    static final String VIDEO = "videotestsrc is-live=true ! video/x-raw,width=320,height=240,framerate=15/1"
            + " ! videoconvert ! vp8enc deadline=1 ! rtpvp8pay pt=96 ! queue"
            + " ! application/x-rtp,media=video,encoding-name=VP8,payload=96";
    static final String AUDIO = "audiotestsrc is-live=true wave=red-noise ! audioconvert ! audioresample ! queue"
            + " ! opusenc ! rtpopuspay pt=111 ! queue ! application/x-rtp,media=audio,encoding-name=OPUS,payload=111";
    /** Generous: GStreamer, WildFly and a browser share 2 cores. */
    private static final Duration MEDIA_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STILL = Duration.ofSeconds(3);
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(20);
    private static final Pattern RESOURCE = Pattern.compile("Resource URL: (\\S+)");
    private static final Path EVIDENCE = Path.of("target", "gstreamer-whip");

    private static ShapedLinkLab lab;
    private static LabServer server;
    private static Chromium viewer;

    @BeforeAll
    static void setUp() throws Exception {
        String reason = NatLab.unavailableReason();
        assumeTrue(reason == null, "network namespaces unavailable, the GStreamer WHIP test cannot run: " + reason);
        if (!new File(CLIENT).canExecute()) {
            fail(CLIENT + " is missing: .ci/run builds meetecho's simple-whip-client against libsoup 3 and installs "
                    + "it there (README, Tests); another path can be given as -Dtest.whip-client");
        }
        Files.createDirectories(EVIDENCE);
        try {
            lab = ShapedLinkLab.create();
            server = LabServer.start(lab.ns("pub"), ShapedLinkLab.SERVER);
            viewer = Chromium.start("gst-viewer", lab.ns("pub"), ORIGIN, ShapedLinkLab.SERVER);
            server.awaitHealthy();
            viewer.get(ORIGIN + "/");
            viewer.await(WhepViewer.WHIP_JS);
        } catch (Exception | Error e) {
            tearDown();
            throw e;
        }
    }

    @AfterAll
    static void tearDown() {
        try (ShapedLinkLab l = lab) {
            if (viewer != null) {
                viewer.close();
            }
            if (server != null) {
                server.closeKeepingLog(EVIDENCE.resolve("server.log"));
            }
        } finally {
            lab = null;
            server = null;
            viewer = null;
        }
    }

    @Test
    void aChromiumWhepViewerDecodesWhatGstreamersWhipClientPublishes() throws Exception {
        String room = (String) viewer.await("return await SbWhip.createRoom(args[0], 'sfu');",
                Rooms.unique("gst-owner"));
        Path log = EVIDENCE.resolve("whip-client.log");
        Process client = start(ORIGIN + "/api/rooms/" + room + "/whip", log);
        try {
            String resource = awaitLog(client, log, "the client's session (201 with a Location)", RESOURCE).group(1);
            assertTrue(resource.startsWith(ORIGIN + "/api/rooms/" + room + "/whip/"), "Location: " + resource);
            awaitLog(client, log, "the client's PeerConnection to connect (ICE and DTLS)",
                    Pattern.compile("PeerConnection connected"));

            String viewerName = Rooms.unique("gst-viewer");
            Map<?, ?> viewing = (Map<?, ?>) viewer.await("return await SbWhip.view(args[0], args[1]);",
                    "/api/rooms/" + room + "/whep", viewerName);
            String viewerSession = (String) viewing.get("location");
            assertTrue(viewerSession != null && viewerSession.contains("/api/rooms/" + room + "/whep/"),
                    "WHEP Location: " + viewing);
            viewer.waitFor("the viewer to decode the client's video and receive its audio",
                    "SbWhip.stats(SbWhip.viewer)", MEDIA_TIMEOUT,
                    s -> WhepViewer.count(s, "video", "framesDecoded") > 0
                            && WhepViewer.count(s, "audio", "packetsReceived") > 0);

            client.destroy(); // SIGTERM: the client DELETEs its session, then exits
            if (!client.waitFor(EXIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                fail("whip-client did not exit " + EXIT_TIMEOUT.toSeconds() + " s after SIGTERM:\n" + tail(log));
            }
            WhepViewer.awaitStill(viewer, MEDIA_TIMEOUT, STILL);
            Map<?, ?> again = (Map<?, ?>) viewer.await("return await SbWhip.remove(args[0], args[1]);",
                    resource, "dev");
            assertEquals(404L, ((Number) again.get("status")).longValue(),
                    "the client's DELETE ended its session: " + again + "; its log:\n" + tail(log));

            Map<?, ?> left = (Map<?, ?>) viewer.await("return await SbWhip.remove(args[0], args[1]);",
                    viewerSession, viewerName);
            assertEquals(200L, ((Number) left.get("status")).longValue(), "DELETE of the WHEP session: " + left);
        } finally {
            if (client.isAlive()) {
                client.destroyForcibly().waitFor(EXIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        }
    }

    /** The client in the lab's {@code view} namespace ({@code ip netns exec} execs it: SIGTERM reaches it). */
    private static Process start(String url, Path log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(List.of("/usr/sbin/ip", "netns", "exec", lab.ns("view"), CLIENT,
                "-u", url, "-V", VIDEO, "-A", AUDIO, "-l", "7", "-o", "-L"))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        // GStreamer's warnings and errors into the same log, but rtpsession's warning on every early packet
        pb.environment().put("GST_DEBUG", "2,rtpsession:1");
        pb.environment().put("GST_DEBUG_NO_COLOR", "1");
        return pb.start();
    }

    /** Waits (bounded) for {@code pattern} in the client's log; fails with the log's tail if the client exits first. */
    private static Matcher awaitLog(Process client, Path log, String what, Pattern pattern) throws Exception {
        long deadline = System.nanoTime() + MEDIA_TIMEOUT.toNanos();
        while (true) {
            Matcher m = pattern.matcher(new String(Files.readAllBytes(log), StandardCharsets.UTF_8));
            if (m.find()) {
                return m;
            }
            if (!client.isAlive()) {
                fail("whip-client exited (" + client.exitValue() + ") before " + what + ":\n" + tail(log));
            }
            if (System.nanoTime() > deadline) {
                fail("waited " + MEDIA_TIMEOUT.toSeconds() + " s for " + what + "; whip-client's log:\n" + tail(log));
            }
            Thread.sleep(200);
        }
    }

    private static String tail(Path log) {
        return Chromium.tail(log);
    }
}
