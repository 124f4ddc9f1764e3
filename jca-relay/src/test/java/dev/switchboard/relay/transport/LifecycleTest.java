package dev.switchboard.relay.transport;

import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a redeploy of the resource adapter does: close the loop, and open the same ports again at once. */
class LifecycleTest {

    @Test
    void theSamePortsRebindImmediatelyAfterTheLoopClosesEvenWithConnectionsInTimeWait() throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        int port = freePortForBoth(loopback);
        InetSocketAddress bind = new InetSocketAddress(loopback, port);
        byte[] stun = Frames.stun(8, 1);
        for (int round = 0; round < 3; round++) {
            LoopHarness harness = LoopHarness.start("redeploy-" + round);
            Demultiplexer demux = Demultiplexer.builder().route(PacketClass.STUN, new RecordingHandler(true)).build();
            UdpEndpoint udp = UdpEndpoint.open(harness.loop, bind, demux); // a BindException here fails the test
            TcpAcceptor tcp = TcpAcceptor.open(harness.loop, bind, demux);
            assertEquals(port, udp.localAddress().getPort());
            assertEquals(port, tcp.localAddress().getPort());

            try (DatagramSocket udpClient = new DatagramSocket(new InetSocketAddress(loopback, 0));
                 Socket tcpClient = new Socket()) {
                udpClient.setSoTimeout(5000);
                udpClient.send(new DatagramPacket(stun, stun.length, bind));
                DatagramPacket reply = new DatagramPacket(new byte[100], 100);
                udpClient.receive(reply);
                assertArrayEquals(stun, Arrays.copyOf(reply.getData(), reply.getLength()));

                tcpClient.setSoTimeout(5000);
                tcpClient.connect(bind, 5000);
                tcpClient.getOutputStream().write(stun);
                byte[] back = new byte[stun.length];
                new DataInputStream(tcpClient.getInputStream()).readFully(back);
                assertArrayEquals(stun, back);

                // The server closes first, leaving its side of the connection in TIME_WAIT on the port.
                harness.close();
                assertEquals(-1, tcpClient.getInputStream().read(), "connection closed by the loop");
            }
            assertFalse(udp.isUp());
            assertFalse(tcp.isUp());
        }
    }

    @Test
    void runsOnABorrowedPoolThreadAndGivesItBack() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor(); // stands in for the WorkManager
        try {
            EventLoop loop = EventLoop.open("borrowed");
            UdpEndpoint udp = UdpEndpoint.open(loop, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                    new RecordingHandler(true));
            Future<?> work = pool.submit(loop);
            try (DatagramSocket client = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                client.setSoTimeout(5000);
                client.send(new DatagramPacket(new byte[]{0, 1, 0, 0}, 4, udp.localAddress()));
                client.receive(new DatagramPacket(new byte[10], 10));
            }
            loop.close();
            assertTrue(loop.awaitTermination(LoopHarness.TIMEOUT));
            work.get(5, TimeUnit.SECONDS);
            assertEquals("reusable", pool.submit(() -> "reusable").get(5, TimeUnit.SECONDS));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void interruptingTheLoopThreadClosesTheLoopInsteadOfSpinning() throws Exception {
        LoopHarness harness = LoopHarness.start("interrupted");
        UdpEndpoint udp = UdpEndpoint.open(harness.loop, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                new RecordingHandler(true));
        harness.call(() -> null);
        harness.thread.interrupt();
        assertTrue(harness.loop.awaitTermination(LoopHarness.TIMEOUT));
        assertFalse(udp.isUp());
        harness.close();
    }

    /** A port free for both UDP and TCP on {@code address}, found by letting the system pick, then checking. */
    private static int freePortForBoth(InetAddress address) throws IOException {
        for (int attempt = 0; attempt < 20; attempt++) {
            try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(address, 0))) {
                int port = udp.getLocalPort();
                try (java.net.ServerSocket tcp = new java.net.ServerSocket()) {
                    tcp.setReuseAddress(true);
                    tcp.bind(new InetSocketAddress(address, port));
                    return port;
                } catch (IOException taken) {
                    // TCP has it: try another
                }
            }
        }
        throw new IOException("no port free for both UDP and TCP");
    }
}
