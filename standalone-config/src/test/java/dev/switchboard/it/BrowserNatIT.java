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
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Two browsers behind two symmetric NATs ({@link NatLab}) call each other. With a STUN server only, the call fails:
 * each side learns its NAT's public address, but that mapping is good for the STUN server only, so no check gets
 * through — the topology leaves no direct path. With our TURN server the same call connects relay to relay.
 *
 * <p>The server is the real one: a second WildFly started inside the lab's {@code pub} namespace from the provisioned
 * test server with the EAR, configured with a TURN user and otherwise defaults — in particular the default peer
 * policy, which refuses private and special-purpose peers; the two relayed addresses reach each other because they
 * are the server's own relay address (relayed ports only). Not an Arquillian test: that container runs in this
 * process's namespace.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrowserNatIT {

    private static final String ORIGIN = "http://" + NatLab.SERVER + ":8080";
    private static final int TURN_PORT = 3478;
    /** The server's default relayed port range. */
    private static final int MIN_PORT = 49152;
    private static final int MAX_PORT = 65535;
    private static final Duration SERVER_START = Duration.ofSeconds(120);

    private static NatLab lab;
    private static Path serverDir;
    private static Process server;
    private static Chromium c1;
    private static Chromium c2;

    @BeforeAll
    static void setUp() throws Exception {
        String reason = NatLab.unavailableReason();
        assumeTrue(reason == null, "network namespaces unavailable, the NAT test cannot run: " + reason);
        try {
            lab = NatLab.create();
            startServer();
            c1 = Chromium.start("c1", lab.ns("c1"), ORIGIN, NatLab.SERVER);
            c2 = Chromium.start("c2", lab.ns("c2"), ORIGIN, NatLab.SERVER);
            awaitHealth();
        } catch (Exception | Error e) {
            tearDown();
            throw e;
        }
    }

    @AfterAll
    static void tearDown() {
        try (NatLab l = lab) {
            for (Chromium c : new Chromium[]{c1, c2}) {
                if (c != null) {
                    c.close();
                }
            }
            stopServer();
        } finally {
            lab = null;
            c1 = null;
            c2 = null;
            if (serverDir != null) {
                Chromium.delete(serverDir);
                serverDir = null;
            }
        }
    }

    @Test
    @Order(1)
    void withStunOnlyTheCallFails() throws Exception {
        open();
        Map<String, Object> stunOnly = WebRtc.config("stun:" + NatLab.SERVER + ":" + TURN_PORT, null, null, "all");
        // until ICE gives up on both sides (every check timed out), or the call connects after all
        boolean settled = WebRtc.signal(c1, c2, stunOnly, WebRtc.CALL_TIMEOUT,
                (a, b) -> gaveUp(a) && gaveUp(b) || connected(a) || connected(b));
        String states = "\ncaller: " + WebRtc.describe(c1) + "\ncallee: " + WebRtc.describe(c2);
        assertFalse(connected(WebRtc.status(c1)) || connected(WebRtc.status(c2)),
                "the NATs let a direct call through: the topology proves nothing" + states);
        assertTrue(settled, "ICE neither connected nor gave up in " + WebRtc.CALL_TIMEOUT.toSeconds() + " s" + states);
        // STUN itself worked through both NATs: each side learnt its NAT's public address
        assertTrue(srflx(NatLab.INTERNET + ".11").matcher(WebRtc.describe(c1)).find(), "no srflx via nat1" + states);
        assertTrue(srflx(NatLab.INTERNET + ".12").matcher(WebRtc.describe(c2)).find(), "no srflx via nat2" + states);
        System.out.println("STUN only, no call:" + states);
    }

    @Test
    @Order(2)
    void throughOurTurnServerTheCallConnectsRelayToRelay() throws Exception {
        open();
        String url = "turn:" + NatLab.SERVER + ":" + TURN_PORT + "?transport=udp";
        Map<String, Object> turn = WebRtc.config(url, TestServer.TURN_USER, TestServer.TURN_PASSWORD, "relay");
        boolean up = WebRtc.signal(c1, c2, turn, WebRtc.CALL_TIMEOUT,
                (a, b) -> connected(a) && connected(b) && (Boolean) a.get("open") && (Boolean) b.get("open"));
        assertTrue(up, "no call through TURN in " + WebRtc.CALL_TIMEOUT.toSeconds() + " s\ncaller: "
                + WebRtc.describe(c1) + "\ncallee: " + WebRtc.describe(c2) + "\nserver log:\n" + serverLog());
        List<Map<String, Object>> reports = WebRtc.exchange(c1, c2);
        WebRtc.assertRelayed(reports.get(0), "callee", url, "udp", NatLab.SERVER, MIN_PORT, MAX_PORT);
        WebRtc.assertRelayed(reports.get(1), "caller", url, "udp", NatLab.SERVER, MIN_PORT, MAX_PORT);
    }

    private static void open() {
        c1.open(ORIGIN + "/");
        c2.open(ORIGIN + "/");
    }

    private static Pattern srflx(String address) {
        return Pattern.compile(" " + Pattern.quote(address) + " \\d+ typ srflx ");
    }

    private static boolean connected(Map<String, Object> status) {
        return Boolean.TRUE.equals(status.get("everConnected"));
    }

    private static boolean gaveUp(Map<String, Object> status) {
        return "complete".equals(status.get("gathering"))
                && ("failed".equals(status.get("ice")) || "disconnected".equals(status.get("ice")));
    }

    /**
     * WildFly from the provisioned test server (its modules shared, read-only) with a base directory of its own:
     * the configuration copied, the EAR in the deployment scanner's folder.
     */
    private static void startServer() throws IOException {
        Path home = Path.of(System.getProperty("jboss.home", "target/test-server"));
        Path ear = Path.of(System.getProperty("test.deployment", "target/test-deployments/switchboard.ear"));
        if (!Files.isRegularFile(home.resolve("bin/standalone.sh")) || !Files.isRegularFile(ear)) {
            fail("no provisioned test server at " + home + " or no EAR at " + ear + ": run through mvn verify");
        }
        serverDir = Files.createTempDirectory("switchboard-nat-server-");
        Path configuration = home.resolve("standalone/configuration");
        try (Stream<Path> files = Files.walk(configuration)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path to = serverDir.resolve("configuration").resolve(configuration.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(f, to, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        Files.createDirectories(serverDir.resolve("deployments"));
        Files.copy(ear, serverDir.resolve("deployments/switchboard.ear"));
        List<String> cmd = new ArrayList<>(List.of(home.resolve("bin/standalone.sh").toAbsolutePath().toString(),
                "-Djboss.server.base.dir=" + serverDir,
                "-Djboss.bind.address=" + NatLab.SERVER,
                "-Djboss.bind.address.management=127.0.0.1",
                "-Dswitchboard.bind.address=" + NatLab.SERVER,
                "-Dswitchboard.turn.users=" + TestServer.TURN_USER + ":" + TestServer.TURN_PASSWORD));
        // in the background the launcher forwards SIGTERM to the JVM, so stopping it stops the server
        server = lab.start("pub", serverDir.resolve("console.log"), cmd, Map.of("LAUNCH_JBOSS_IN_BACKGROUND", "1"));
    }

    /** /api/health answers 200 from inside pub (the test's own namespace has no route into the lab). */
    private static void awaitHealth() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + SERVER_START.toNanos();
        String request = "exec 3<>/dev/tcp/" + NatLab.SERVER + "/8080 && printf 'GET /api/health HTTP/1.0\\r\\n\\r\\n' >&3"
                + " && timeout 5 cat <&3";
        String last = "";
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                fail("the server in the lab exited (" + server.exitValue() + "):\n" + serverLog());
            }
            last = lab.exec("pub", "/usr/bin/timeout", "6", "/bin/bash", "-c", request).output();
            if (last.matches("(?s)HTTP/1\\.[01] 200 .*")) {
                return;
            }
            Thread.sleep(500);
        }
        fail("the server in the lab was not healthy in " + SERVER_START.toSeconds() + " s; last answer: " + last
                + "\n" + serverLog());
    }

    private static void stopServer() {
        if (server == null) {
            return;
        }
        List<ProcessHandle> all = new ArrayList<>(server.descendants().toList());
        all.add(server.toHandle());
        all.forEach(ProcessHandle::destroy);
        try {
            if (!server.waitFor(20, TimeUnit.SECONDS)) {
                all.forEach(ProcessHandle::destroyForcibly);
            }
            for (ProcessHandle p : all) {
                p.onExit().get(10, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            all.forEach(ProcessHandle::destroyForcibly);
        } finally {
            server = null;
        }
    }

    private static String serverLog() {
        return serverDir == null ? "" : Chromium.tail(serverDir.resolve("log/server.log"));
    }
}
