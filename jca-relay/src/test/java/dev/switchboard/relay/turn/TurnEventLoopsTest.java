package dev.switchboard.relay.turn;

import dev.switchboard.connector.EventLoopStatus;
import dev.switchboard.connector.ListenerState;
import dev.switchboard.connector.ListenerStatus;
import dev.switchboard.relay.Await;
import dev.switchboard.relay.TestPorts;
import dev.switchboard.relay.server.RelayConfig;
import dev.switchboard.relay.server.RelayEventSink;
import dev.switchboard.relay.server.RelayServer;
import dev.switchboard.relay.stun.StunMethod;
import dev.switchboard.relay.turn.stun.RequestedTransport;
import dev.switchboard.relay.turn.stun.TurnMethod;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The relay on two event loops ({@code switchboard.relay.event-loops=2}): each loop has its own UDP socket on the
 * shared port, the kernel keeps each client with one of them, an allocation and its relayed sockets live on the
 * loop its client reached, quotas hold across loops, TCP connections are spread over both loops too and RFC 6062
 * data connections are bound whichever loop they reach, and one loop failing is restarted alone (its TCP acceptor
 * rejoining the port) while the other serves on.
 */
class TurnEventLoopsTest {

    private static final int LOOPS = 2;
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Clients tried to find one the kernel hands to a given loop: each lands on either with even odds. */
    private static final int MAX_CLIENTS_PER_LOOP_SEARCH = 64;

    @RegisterExtension
    final Closer closer = new Closer();
    private final IndexedExecutor threads = new IndexedExecutor();
    private RelayServer relay;
    private int port;

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.stop(Duration.ofSeconds(5));
        }
        threads.pool.shutdownNow();
    }

    private void start(int maxAllocations, int maxPerUser) throws Exception {
        port = TestPorts.freeUdpAndTcp();
        RelayConfig config = RelayConfig.builder().bindAddress("127.0.0.1").udpPort(port).tcpPort(port)
                .software("test").eventLoops(LOOPS)
                .turn(RelayConfig.TurnSettings.builder().realm("switchboard").secrets(List.of("secret"))
                        .users(List.of("alice:wonderland", "bob:builder", "carol:singer")).portRange(50000, 50999)
                        .allowPeers("127.0.0.0/8").maxAllocations(maxAllocations).maxAllocationsPerUser(maxPerUser)
                        .maxBitsPerSecond(0).build())
                .build();
        relay = new RelayServer(config, RelayEventSink.DISCARD);
        relay.start(threads);
        assertEquals(LOOPS, relay.eventLoops());
    }

    private InetSocketAddress server() {
        return new InetSocketAddress("127.0.0.1", port);
    }

    @Test
    void eachClientStaysOnOneLoopAndTheKernelSpreadsClientsOverBoth() throws Exception {
        start(100, 100);
        int[] clientsPerLoop = new int[LOOPS];
        for (int c = 0; c < 32; c++) {
            TestTurnClient client = closer.track(TestTurnClient.udp(server()));
            long[] before = udpPacketsIn();
            for (int i = 0; i < 5; i++) {
                client.requestPlain(StunMethod.BINDING, e -> { });
            }
            long[] grew = new long[LOOPS];
            Await.until("5 requests counted", WAIT, 5, () -> {
                long[] now = udpPacketsIn();
                long sum = 0;
                for (int k = 0; k < LOOPS; k++) {
                    grew[k] = now[k] - before[k];
                    sum += grew[k];
                }
                return sum == 5;
            });
            int loop = grew[0] == 5 ? 0 : 1;
            assertEquals(5, grew[loop], "every request of one client on one loop: " + java.util.Arrays.toString(grew));
            clientsPerLoop[loop]++;
        }
        // 32 clients all on one loop by chance: odds of 2 in 2^32.
        assertTrue(clientsPerLoop[0] > 0 && clientsPerLoop[1] > 0, java.util.Arrays.toString(clientsPerLoop));
        // The listener reported once, its counters summed over the loops' sockets.
        ListenerStatus udp = relay.listeners().stream().filter(l -> l.transport().equals("udp")).findFirst()
                .orElseThrow();
        assertEquals(ListenerState.UP, udp.state());
        assertEquals(udpPacketsIn()[0] + udpPacketsIn()[1], udp.counters().packetsIn());
    }

    @Test
    void anAllocationRelaysOnTheLoopItsClientReached() throws Exception {
        start(100, 100);
        DatagramSocket peer = closer.track(new DatagramSocket(new InetSocketAddress("127.0.0.1", 0)));
        peer.setSoTimeout(TestTurnClient.TIMEOUT_MILLIS);
        InetSocketAddress peerAddress = (InetSocketAddress) peer.getLocalSocketAddress();
        for (int loop = 0; loop < LOOPS; loop++) {
            TestTurnClient client = clientOnLoop(loop);
            InetSocketAddress relayed = client.allocate();
            assertEquals(1, relay.turnOfLoop(loop).allocationCount(), "the allocation is loop " + loop + "'s");
            client.createPermission(peerAddress);
            client.channelBind(0x4000, peerAddress);

            long[] inBefore = udpPacketsIn();
            long[] outBefore = udpPacketsOut();
            for (int i = 0; i < 10; i++) {
                byte[] data = ("to peer " + i).getBytes(StandardCharsets.US_ASCII);
                client.sendChannelData(0x4000, data);
                DatagramPacket got = new DatagramPacket(new byte[100], 100);
                peer.receive(got);
                assertEquals(relayed, got.getSocketAddress(), "from the relayed address");
                byte[] back = ("to client " + i).getBytes(StandardCharsets.US_ASCII);
                peer.send(new DatagramPacket(back, back.length, relayed));
                TestTurnClient.Received r = client.receiveData();
                assertEquals(0x4000, r.channel());
                assertArrayEquals(back, r.data());
            }
            int other = 1 - loop;
            int k = loop;
            // A send is counted once it returned, possibly after the client got it: wait for the count. The reply to
            // the ChannelBind before may be counted in this span too, hence at least.
            Await.until("ChannelData to the client counted on loop " + loop, WAIT, 5,
                    () -> udpPacketsOut()[k] - outBefore[k] >= 10);
            long[] in = udpPacketsIn();
            long[] out = udpPacketsOut();
            assertEquals(10, in[loop] - inBefore[loop], "ChannelData from the client read on loop " + loop);
            assertEquals(0, in[other] - inBefore[other], "nothing of this client on loop " + other);
            assertEquals(0, out[other] - outBefore[other], "nothing of this client on loop " + other);
        }
        assertEquals(1, relay.turnOfLoop(0).allocationCount());
        assertEquals(1, relay.turnOfLoop(1).allocationCount());
        assertEquals(2, relay.turnStats().allocations(), "the stats sum both loops");
        assertEquals(20, relay.turnStats().packetsToPeers());
        assertEquals(20, relay.turnStats().packetsFromPeers());
    }

    @Test
    void twoAllocationsOnDifferentLoopsRelayToEachOther() throws Exception {
        start(100, 100);
        TestTurnClient a = clientOnLoop(0);
        TestTurnClient b = clientOnLoop(1);
        b.username = "bob";
        b.password = "builder";
        InetSocketAddress relayA = a.allocate();
        InetSocketAddress relayB = b.allocate();
        // Each one's peer is the other's relayed address: the datagrams go from loop 0's relayed socket to loop 1's
        // through the kernel, as between two servers; no loop touches the other's allocation.
        a.createPermission(relayB);
        a.channelBind(0x4002, relayB);
        b.createPermission(relayA);
        b.channelBind(0x4003, relayA);
        for (int i = 0; i < 5; i++) {
            byte[] ping = ("ping " + i).getBytes(StandardCharsets.US_ASCII);
            a.sendChannelData(0x4002, ping);
            TestTurnClient.Received atB = b.receiveData();
            assertEquals(0x4003, atB.channel());
            assertArrayEquals(ping, atB.data());
            byte[] pong = ("pong " + i).getBytes(StandardCharsets.US_ASCII);
            b.sendChannelData(0x4003, pong);
            TestTurnClient.Received atA = a.receiveData();
            assertEquals(0x4002, atA.channel());
            assertArrayEquals(pong, atA.data());
        }
        assertEquals(1, relay.turnOfLoop(0).allocationCount());
        assertEquals(1, relay.turnOfLoop(1).allocationCount());
    }

    @Test
    void theQuotasHoldAcrossLoops() throws Exception {
        start(2, 1);
        TestTurnClient aliceOn0 = clientOnLoop(0);
        TestTurnClient aliceOn1 = clientOnLoop(1);
        aliceOn0.allocate();
        // The same user's second allocation, on the other loop: over the per-user quota of 1.
        aliceOn1.expectError(486, TurnMethod.ALLOCATE, e -> e.add(RequestedTransport.ATTRIBUTE, 17));

        TestTurnClient bobOn1 = clientOnLoop(1);
        bobOn1.username = "bob";
        bobOn1.password = "builder";
        bobOn1.allocate();
        // A third user, wherever they land: the total of 2 is taken, one on each loop.
        TestTurnClient carol = closer.track(TestTurnClient.udp(server()));
        carol.username = "carol";
        carol.password = "singer";
        carol.expectError(486, TurnMethod.ALLOCATE, e -> e.add(RequestedTransport.ATTRIBUTE, 17));
        assertEquals(2, relay.turnStats().quotaRejections());
        assertEquals(1, relay.turnOfLoop(0).allocationCount());
        assertEquals(1, relay.turnOfLoop(1).allocationCount());

        // Alice's allocation ends (on loop 0): her quota is free for her client on loop 1.
        aliceOn0.refresh(0);
        aliceOn1.allocate();
        assertEquals(0, relay.turnOfLoop(0).allocationCount());
        assertEquals(2, relay.turnOfLoop(1).allocationCount());
    }

    @Test
    void tcpConnectionsAreAcceptedOnEveryLoop() throws Exception {
        start(100, 100);
        int clients = 32;
        for (int c = 0; c < clients; c++) {
            TestTurnClient client = closer.track(TestTurnClient.tcp(server()));
            assertNotNull(client.requestPlain(StunMethod.BINDING, e -> { }), "answered by the loop that accepted it");
        }
        long[] open = tcpOpen();
        // 32 connections from distinct source ports all on one loop by chance: odds of 2 in 2^32.
        assertTrue(open[0] > 0 && open[1] > 0, java.util.Arrays.toString(open));
        assertEquals(clients, open[0] + open[1]);
        assertEquals(clients, tcpListener().counters().connectionsOpen(), "one TCP listener, summed over the loops");
    }

    @Test
    void rfc6062DataConnectionsAreBoundWhicheverLoopTheyReach() throws Exception {
        start(100, 100);
        TestTurnClient control = closer.track(TestTurnClient.tcp(server()));
        control.allocateTcp();
        int home = relay.turnOfLoop(0).allocationCount() == 1 ? 0 : 1;
        int other = 1 - home;
        boolean handedOver = false;
        // Each data connection reaches either loop with even odds; go on until one reached the other one.
        for (int attempt = 0; attempt < MAX_CLIENTS_PER_LOOP_SEARCH && !handedOver; attempt++) {
            ServerSocket listener = TcpPeers.peerListener(closer);
            long id = control.connectOk(TcpPeers.addressOf(listener));
            Socket peer = closer.track(listener.accept());
            long before = tcpPacketsIn()[other];
            TestTurnClient data = closer.track(control.dataConnection());
            data.connectionBind(id);
            handedOver = tcpPacketsIn()[other] > before; // its ConnectionBind was read there first
            Socket raw = data.tcpSocket();
            byte[] hello = ("hello peer " + attempt).getBytes(StandardCharsets.US_ASCII);
            raw.getOutputStream().write(hello);
            assertArrayEquals(hello, peer.getInputStream().readNBytes(hello.length));
            byte[] back = ("hello client " + attempt).getBytes(StandardCharsets.US_ASCII);
            peer.getOutputStream().write(back);
            assertArrayEquals(back, raw.getInputStream().readNBytes(back.length));
            raw.close();
            Await.until("the pipe closed", WAIT, 5, () -> relay.turnStats().tcpConnections() == 0);
        }
        assertTrue(handedOver, "no data connection of " + MAX_CLIENTS_PER_LOOP_SEARCH + " reached loop " + other);
        assertEquals(1, relay.turnOfLoop(home).allocationCount());
        assertEquals(0, relay.turnOfLoop(other).allocationCount());
        Await.until("the data connections closed on the allocation's loop, the control connection left open", WAIT,
                5, () -> tcpOpen()[home] == 1 && tcpOpen()[other] == 0);
    }

    @Test
    void aLoopThatFailsIsRestartedAloneWhileTheOtherServesOn() throws Exception {
        start(100, 100);
        DatagramSocket peer = closer.track(new DatagramSocket(new InetSocketAddress("127.0.0.1", 0)));
        peer.setSoTimeout(TestTurnClient.TIMEOUT_MILLIS);
        InetSocketAddress peerAddress = (InetSocketAddress) peer.getLocalSocketAddress();
        TestTurnClient on0 = clientOnLoop(0);
        TestTurnClient on1 = clientOnLoop(1);
        on0.allocate();
        on0.createPermission(peerAddress);
        on0.channelBind(0x4001, peerAddress);
        on1.allocate();
        assertEquals(2, relay.turnStats().allocations());

        threads.thread(1).interrupt(); // loop 1's owner takes its thread back: loop 1 ends, loop 0 does not

        Await.until("the failure noticed", WAIT, 10, () -> relay.eventLoop().failures() == 1);
        // Meanwhile (or already after the restart): loop 0 and its allocation serve on, and the port answers.
        assertEquals(1, relay.turnOfLoop(0).allocationCount());
        assertRelays(on0, 0x4001, peer);
        on0.refresh(600);
        assertBinding();
        assertTrue(relay.listeners().stream().allMatch(ListenerStatus::isUp),
                "the UDP port is served while one loop is: " + relay.listeners());

        Await.until("loop 1 restarted", WAIT, 10, () -> relay.eventLoop().restarts() == 1
                && relay.eventLoop().running());
        EventLoopStatus status = relay.eventLoop();
        assertEquals(1, status.failures(), status.toString());
        assertTrue(status.lastFailure().startsWith("InterruptedException"), status.toString());
        assertEquals(1, relay.turnOfLoop(0).allocationCount(), "loop 0's allocation kept");
        assertEquals(0, relay.turnOfLoop(1).allocationCount(), "loop 1's allocation lost with its loop");
        assertEquals(1, relay.turnStats().allocations(), "the lost one accounted as ended");
        assertTrue(threads.running.get() >= LOOPS, "a thread for each loop again");
        assertRelays(on0, 0x4001, peer);

        // The restarted loop takes new clients again, over UDP and over TCP: its acceptor rejoined the port.
        clientOnLoop(1).allocate();
        assertEquals(1, relay.turnOfLoop(1).allocationCount());
        assertEquals(ListenerState.UP, tcpOf(1).state());
        assertEquals(port, tcpOf(1).port());
        tcpClientOnLoop(1).allocateTcp();
        assertEquals(2, relay.turnOfLoop(1).allocationCount());
    }

    // ---- helpers

    /** A new UDP client that the kernel hands to {@code loop}'s socket, found by where its Binding requests land. */
    private TestTurnClient clientOnLoop(int loop) throws Exception {
        for (int attempt = 0; attempt < MAX_CLIENTS_PER_LOOP_SEARCH; attempt++) {
            TestTurnClient client = closer.track(TestTurnClient.udp(server()));
            long[] before = udpPacketsIn();
            client.requestPlain(StunMethod.BINDING, e -> { });
            long[] now = new long[LOOPS];
            Await.until("the request counted", WAIT, 5, () -> {
                long[] n = udpPacketsIn();
                System.arraycopy(n, 0, now, 0, LOOPS);
                return n[0] + n[1] == before[0] + before[1] + 1;
            });
            if (now[loop] > before[loop]) {
                return client;
            }
        }
        return fail("no client of " + MAX_CLIENTS_PER_LOOP_SEARCH + " reached loop " + loop);
    }

    /** A new TCP client that the kernel hands to {@code loop}'s acceptor, found by where its connection is open. */
    private TestTurnClient tcpClientOnLoop(int loop) throws Exception {
        for (int attempt = 0; attempt < MAX_CLIENTS_PER_LOOP_SEARCH; attempt++) {
            long before = tcpOpen()[loop];
            TestTurnClient client = closer.track(TestTurnClient.tcp(server()));
            assertNotNull(client.requestPlain(StunMethod.BINDING, e -> { }));
            if (tcpOpen()[loop] > before) {
                return client;
            }
        }
        return fail("no TCP client of " + MAX_CLIENTS_PER_LOOP_SEARCH + " reached loop " + loop);
    }

    private long[] tcpOpen() {
        long[] out = new long[LOOPS];
        for (int k = 0; k < LOOPS; k++) {
            out[k] = tcpOf(k).counters().connectionsOpen();
        }
        return out;
    }

    private long[] tcpPacketsIn() {
        long[] out = new long[LOOPS];
        for (int k = 0; k < LOOPS; k++) {
            out[k] = tcpOf(k).counters().packetsIn();
        }
        return out;
    }

    private ListenerStatus tcpOf(int loop) {
        return relay.listenersOfLoop(loop).stream().filter(l -> l.transport().equals("tcp")).findFirst()
                .orElseThrow();
    }

    private ListenerStatus tcpListener() {
        return relay.listeners().stream().filter(l -> l.transport().equals("tcp")).findFirst().orElseThrow();
    }

    private long[] udpPacketsIn() {
        long[] out = new long[LOOPS];
        for (int k = 0; k < LOOPS; k++) {
            out[k] = udpOf(k).counters().packetsIn();
        }
        return out;
    }

    private long[] udpPacketsOut() {
        long[] out = new long[LOOPS];
        for (int k = 0; k < LOOPS; k++) {
            out[k] = udpOf(k).counters().packetsOut();
        }
        return out;
    }

    private ListenerStatus udpOf(int loop) {
        return relay.listenersOfLoop(loop).stream().filter(l -> l.transport().equals("udp")).findFirst()
                .orElseThrow();
    }

    private static void assertRelays(TestTurnClient client, int channel, DatagramSocket peer) throws IOException {
        byte[] data = "still relayed".getBytes(StandardCharsets.US_ASCII);
        client.sendChannelData(channel, data);
        DatagramPacket got = new DatagramPacket(new byte[100], 100);
        peer.receive(got);
        assertEquals(new String(data, StandardCharsets.US_ASCII),
                new String(got.getData(), 0, got.getLength(), StandardCharsets.US_ASCII));
    }

    private void assertBinding() throws IOException {
        TestTurnClient fresh = closer.track(TestTurnClient.udp(server()));
        assertNotNull(fresh.requestPlain(StunMethod.BINDING, e -> { }));
        assertFalse(fresh.requestPlain(StunMethod.BINDING, e -> { }).isRequest());
    }

    /** Runs each task on a pool thread and remembers which thread runs the n-th task (loop n's, at start). */
    private static final class IndexedExecutor implements Executor {
        final ExecutorService pool = Executors.newCachedThreadPool();
        final Map<Integer, Thread> byTask = new ConcurrentHashMap<>();
        final AtomicInteger submitted = new AtomicInteger();
        final AtomicInteger running = new AtomicInteger();

        @Override
        public void execute(Runnable task) {
            int index = submitted.getAndIncrement();
            running.incrementAndGet();
            pool.execute(() -> {
                byTask.put(index, Thread.currentThread());
                try {
                    task.run();
                } finally {
                    running.decrementAndGet();
                }
            });
        }

        Thread thread(int task) throws InterruptedException {
            Await.until("task " + task + " running", WAIT, 5, () -> byTask.containsKey(task));
            return byTask.get(task);
        }
    }
}
