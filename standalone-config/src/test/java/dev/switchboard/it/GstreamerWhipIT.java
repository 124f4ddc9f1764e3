package dev.switchboard.it;

import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.File;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
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
 * The client sends no credentials but a bearer token ({@code -t}); the test server runs in dev mode, so it publishes
 * as dev mode's default caller ({@code dev}, tenant {@code default}), the room's tenant. Its output (log level 7: both
 * SDPs, every HTTP exchange's outcome) goes to target/gstreamer-whip/whip-client.log for diagnosis.
 * <p>
 * <b>Why the relay is also bound to this machine's own IPv4 address here.</b> The test server's relay listens on
 * 127.0.0.1 and ::1 only, so the SFU offers loopback candidates only, and libnice (0.1.21, under webrtcbin) cannot
 * reach them: it gathers no loopback candidate when another interface is up ("Ignoring loopback interface"), and it
 * pins each host candidate's socket to its interface ({@code IP_UNICAST_IF}), so its checks from 192.0.2.2 to
 * 127.0.0.1 leave by eth0 and never arrive (seen with strace and a plain socket with the same option; the client
 * then says "ICE failed"). For this test only, {@code switchboard.bind.address} gets the first non-loopback IPv4
 * address of an interface that is up added, and its value is put back afterwards. Packets between the client and
 * the relay still never leave the machine (a local address is delivered through the loopback device), but the relay's
 * port listens on that address for the test's duration.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class GstreamerWhipIT {

    private static final String NAME = "switchboard-gstreamer-whip";
    private static final String BIND = "switchboard.bind.address";
    static final String DEFAULT_CLIENT = "/usr/local/bin/whip-client";
    private static final String CLIENT = System.getProperty("test.whip-client", DEFAULT_CLIENT);
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

    @ArquillianResource
    private Deployer deployer;

    @Deployment(name = NAME, managed = false, testable = false)
    static EnterpriseArchive deployment() {
        return TestServer.ear();
    }

    @Test
    void aChromiumWhepViewerDecodesWhatGstreamersWhipClientPublishes() throws Exception {
        String original = serverProperty(BIND);
        String own = ownAddress().getHostAddress();
        // already there if an earlier run was killed before it could put the value back
        setServerProperty(BIND, List.of(original.split(",")).contains(own) ? original : original + "," + own);
        try {
            deployer.deploy(NAME);
            try {
                publishAndView();
            } finally {
                deployer.undeploy(NAME);
            }
        } finally {
            setServerProperty(BIND, original);
        }
    }

    private void publishAndView() throws Exception {
        String room = Rooms.create(Rooms.unique("gst-owner"), 4, "sfu");
        Path log = Files.createDirectories(Path.of("target", "gstreamer-whip")).resolve("whip-client.log");
        Process client = start(TestServer.BASE + "/api/rooms/" + room + "/whip", log);
        Chromium viewer = null;
        try {
            String resource = awaitLog(client, log, "the client's session (201 with a Location)", RESOURCE).group(1);
            assertTrue(resource.startsWith(TestServer.BASE + "/api/rooms/" + room + "/whip/"), "Location: " + resource);
            awaitLog(client, log, "the client's PeerConnection to connect (ICE and DTLS)",
                    Pattern.compile("PeerConnection connected"));

            viewer = WhepViewer.browser("gst-viewer");
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
            assertEquals(404, TestServer.delete(URI.create(resource).getPath()).statusCode(),
                    "the client's DELETE ended its session; its log:\n" + tail(log));

            Map<?, ?> left = (Map<?, ?>) viewer.await("return await SbWhip.remove(args[0], args[1]);",
                    viewerSession, viewerName);
            assertEquals(200L, ((Number) left.get("status")).longValue(), "DELETE of the WHEP session: " + left);
        } finally {
            if (viewer != null) {
                viewer.close();
            }
            if (client.isAlive()) {
                client.destroyForcibly().waitFor(EXIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        }
    }

    /** The address libnice gathers a host candidate on: the first non-loopback IPv4 address of an interface up. */
    private static InetAddress ownAddress() throws SocketException {
        return NetworkInterface.networkInterfaces()
                .filter(i -> {
                    try {
                        return i.isUp() && !i.isLoopback();
                    } catch (SocketException e) {
                        return false;
                    }
                })
                .flatMap(NetworkInterface::inetAddresses)
                .filter(a -> a instanceof Inet4Address && !a.isLinkLocalAddress())
                .findFirst()
                .orElseGet(() -> fail("no interface up with a non-loopback IPv4 address: libnice gathers no loopback "
                        + "candidate, so whip-client could not reach the relay"));
    }

    /** A system property of the test server's JVM, as the server runs (arquillian.xml sets the relay's with -D). */
    private static String serverProperty(String name) throws Exception {
        String out = TestServer.cli("/core-service=platform-mbean/type=runtime:read-attribute(name=system-properties)");
        Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\" => \"([^\"]*)\"").matcher(out);
        assertTrue(m.find(), name + " is not set on the test server: " + out);
        return m.group(1);
    }

    /**
     * Sets a system property of the test server through a management resource. Removing the resource afterwards would
     * clear the property for the tests after this one (WildFly clears, it does not restore the JVM's value), so the
     * original value is written back instead and the resource stays.
     */
    private static void setServerProperty(String name, String value) throws Exception {
        String resource = "/system-property=" + name;
        TestServer.cli("if (outcome != success) of " + resource + ":read-resource",
                "    " + resource + ":add(value=\"" + value + "\")",
                "else",
                "    " + resource + ":write-attribute(name=value, value=\"" + value + "\")",
                "end-if");
    }

    private static Process start(String url, Path log) throws IOException {
        if (!new File(CLIENT).canExecute()) {
            fail(CLIENT + " is missing: .ci/run builds meetecho's simple-whip-client against libsoup 3 and installs "
                    + "it there (README, Tests); another path can be given as -Dtest.whip-client");
        }
        ProcessBuilder pb = new ProcessBuilder(List.of(CLIENT, "-u", url, "-V", VIDEO, "-A", AUDIO,
                "-l", "7", "-o", "-L"))
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
