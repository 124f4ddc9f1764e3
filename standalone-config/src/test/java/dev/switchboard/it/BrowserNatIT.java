package dev.switchboard.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Two browsers behind two symmetric NATs ({@link NatLab}) call each other. With a STUN server only, the call fails:
 * each side learns its NAT's public address, but that mapping is good for the STUN server only, so no check gets
 * through — the topology leaves no direct path. With our TURN server the same call connects relay to relay.
 *
 * <p>The server is the real one: a second WildFly started inside the lab's {@code pub} namespace from the provisioned
 * test server with the EAR, configured with a TURN user and otherwise defaults — in particular the default peer
 * policy, which refuses private and special-purpose peers; the two relayed addresses reach each other because they
 * are the server's own relay address (relayed ports only): a {@link LabServer}. Not an Arquillian test: that
 * container runs in this process's namespace.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrowserNatIT {

    private static final String ORIGIN = "http://" + NatLab.SERVER + ":8080";
    private static final int TURN_PORT = 3478;
    /** The server's default relayed port range. */
    private static final int MIN_PORT = 49152;
    private static final int MAX_PORT = 65535;

    private static NatLab lab;
    private static LabServer server;
    private static Chromium c1;
    private static Chromium c2;

    @BeforeAll
    static void setUp() throws Exception {
        String reason = NatLab.unavailableReason();
        assumeTrue(reason == null, "network namespaces unavailable, the NAT test cannot run: " + reason);
        try {
            lab = NatLab.create();
            server = LabServer.start(lab.ns("pub"), NatLab.SERVER,
                    "switchboard.turn.users=" + TestServer.TURN_USER + ":" + TestServer.TURN_PASSWORD);
            c1 = Chromium.start("c1", lab.ns("c1"), ORIGIN, NatLab.SERVER);
            c2 = Chromium.start("c2", lab.ns("c2"), ORIGIN, NatLab.SERVER);
            server.awaitHealthy();
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
            if (server != null) {
                server.close();
            }
        } finally {
            lab = null;
            server = null;
            c1 = null;
            c2 = null;
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

    private static String serverLog() {
        return server == null ? "" : server.log();
    }
}
