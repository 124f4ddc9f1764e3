package dev.switchboard.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * TURN across nodes ({@link ClusterLab}, three nodes): a node whose relay is full answers Allocate with 300 Try
 * Alternate (RFC 8489 §10 ALTERNATE-SERVER) naming a node with room on the request's transport, the Allocate there
 * succeeds, and with every node full each answers 486: no redirect, so no loop. The total quota counts every node's
 * allocations; the nodes are given different totals so that one fills first: node 1 and node 3 are full at 2
 * allocations in the cluster, node 2 at 4. The nodes start once for the class.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterTurnIT extends ClusterLabTest {

    private static final int ALTERNATE_SERVER = 0x8023;
    private static final int MESSAGE_INTEGRITY = 0x0008;
    /** The nodes publish their load every second and the quotas' snapshot follows; ample room on a loaded machine. */
    private static final Duration SETTLE = Duration.ofSeconds(30);

    /** Allocations held for the whole class (they keep the nodes full); closed with the cluster. */
    private static final List<TurnTestClient> HELD = new ArrayList<>();

    @BeforeAll
    static void startCluster() throws Exception {
        lab = ClusterLab.start(3, List.of(), Map.of(
                0, List.of("-Dswitchboard.turn.max-allocations=2"),
                1, List.of("-Dswitchboard.turn.max-allocations=4"),
                2, List.of("-Dswitchboard.turn.max-allocations=2")));
    }

    @AfterAll
    static void release() throws Exception {
        for (TurnTestClient c : HELD) {
            c.close();
        }
        HELD.clear();
    }

    private static String[] credentials(String user) throws Exception {
        return TurnTestClient.restCredentials(ClusterLab.TURN_SECRET, user, 3600);
    }

    private static TurnTestClient udp(ClusterLab.Node n, String user) throws Exception {
        String[] c = credentials(user);
        return TurnTestClient.udp(n.stunUdp(), c[0], c[1]);
    }

    private static TurnTestClient tcp(ClusterLab.Node n, String user) throws Exception {
        String[] c = credentials(user);
        return TurnTestClient.tcp(n.stunUdp(), c[0], c[1]); // the TCP listener shares the UDP port number
    }

    /** Allocates at {@code n} and keeps the allocation for the rest of the class. */
    private static void hold(ClusterLab.Node n, String user) throws Exception {
        TurnTestClient c = udp(n, user);
        HELD.add(c);
        c.allocated();
    }

    /** ALTERNATE-SERVER's plain MAPPED-ADDRESS layout (RFC 8489 §14.15, §14.1). */
    private static InetSocketAddress alternateServer(StunTestClient.Response r) throws Exception {
        byte[] v = r.attribute(ALTERNATE_SERVER);
        assertNotNull(v, "ALTERNATE-SERVER in " + TurnTestClient.describe(r));
        int port = ((v[2] & 0xFF) << 8) | (v[3] & 0xFF);
        return new InetSocketAddress(InetAddress.getByAddress(Arrays.copyOfRange(v, 4, v.length)), port);
    }

    /**
     * One Allocate at {@code n} over a new UDP (or TCP) flow; the answer, the flow closed. One that succeeds (a node
     * not yet counting the others' allocations) is deleted at once, so that the totals stay as the test set them.
     */
    private static StunTestClient.Response tryAllocate(ClusterLab.Node n, boolean overTcp) throws Exception {
        try (TurnTestClient c = overTcp ? tcp(n, "probe") : udp(n, "probe")) {
            StunTestClient.Response r = c.allocate();
            if (r.type() == (TurnTestClient.ALLOCATE | TurnTestClient.SUCCESS)) {
                c.refresh(0);
            }
            return r;
        }
    }

    /** Polls with new Allocates at {@code n} until the answer is {@code code} (and, for 300, names {@code to}). */
    private static StunTestClient.Response awaitAnswer(ClusterLab.Node n, boolean overTcp, int code,
                                                       InetSocketAddress to) throws Exception {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            StunTestClient.Response r = tryAllocate(n, overTcp);
            boolean error = r.type() == (TurnTestClient.ALLOCATE | TurnTestClient.ERROR);
            if (error && r.errorCode() == code && (to == null || to.equals(alternateServer(r)))) {
                return r;
            }
            last = TurnTestClient.describe(r) + (error && r.errorCode() == 300 ? " to " + alternateServer(r) : "");
            Thread.sleep(250);
        }
        fail(n.name() + " did not answer " + code + (to == null ? "" : " naming " + to) + " within " + SETTLE
                + "; last: " + last);
        return null;
    }

    @Test
    @Order(1)
    void aFullNodeSendsAllocateToTheNodeWithRoomAndItSucceedsThere() throws Exception {
        ClusterLab.Node one = lab.node(0);
        ClusterLab.Node two = lab.node(1);
        hold(one, "ann");
        hold(one, "bob"); // node 1 full (2 of its 2); node 3 too, once it counts them
        InetSocketAddress twoUdp = two.stunUdp();

        StunTestClient.Response r = awaitAnswer(one, false, 300, twoUdp);
        assertNotNull(r.attribute(MESSAGE_INTEGRITY), "the 300 comes after authentication: it is signed");
        // the same over TCP: node 2's TCP listener (same port number as its UDP one here)
        awaitAnswer(one, true, 300, new InetSocketAddress(twoUdp.getAddress(), twoUdp.getPort()));

        // the client follows: the same credentials work at node 2, which has room
        TurnTestClient followed = udp(two, "cat");
        HELD.add(followed);
        followed.allocated();
        // node 3 is full as well (2 of its 2 in the cluster): it names node 2, never node 1
        awaitAnswer(lab.node(2), false, 300, twoUdp);
    }

    @Test
    @Order(2)
    void withEveryNodeFullEachAnswers486AndNoneRedirects() throws Exception {
        hold(lab.node(1), "dan"); // 4 in the cluster: node 2 full too
        for (ClusterLab.Node n : lab.nodes()) {
            awaitAnswer(n, false, 486, null);
        }
        // and it stays so: a full node is named by no one
        for (ClusterLab.Node n : lab.nodes()) {
            for (int i = 0; i < 3; i++) {
                StunTestClient.Response r = tryAllocate(n, false);
                assertEquals(486, r.errorCode(), () -> n.name() + ": " + TurnTestClient.describe(r));
            }
        }
    }
}
