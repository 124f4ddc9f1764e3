package dev.switchboard.relay.transport;

import dev.switchboard.relay.ThreadAllocation;
import dev.switchboard.relay.MeasuringSslContext;
import dev.switchboard.relay.TestTls;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The house rule that the packet path does not allocate, measured: bytes allocated by the loop thread while it
 * echoes packets through the {@link Demultiplexer}. The bound leaves room for the JDK's own per-wakeup boxing of
 * large file descriptors in the selector, but not for any object per packet (an address alone is 32+ bytes).
 */
class PacketPathAllocationTest {

    private static final int WARM_UP = 20_000;
    private static final int MEASURED = 20_000;
    private static final double MAX_BYTES_PER_PACKET = 20;

    @Test
    void udpEchoAllocatesNothingPerPacket() throws Exception {
        com.sun.management.ThreadMXBean threads = ThreadAllocation.bean();
        try (LoopHarness harness = LoopHarness.start("alloc-udp");
             DatagramChannel client = DatagramChannel.open(StandardProtocolFamily.INET)) {
            Demultiplexer demux = Demultiplexer.builder().route(PacketClass.STUN, echo()).build();
            UdpEndpoint udp = UdpEndpoint.open(harness.loop, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), demux);
            client.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            client.connect(udp.localAddress());
            client.socket().setSoTimeout(5000);
            ByteBuffer out = ByteBuffer.wrap(Frames.stun(32, 1));
            ByteBuffer in = ByteBuffer.allocate(2048);
            Runnable pingPong = () -> {
                try {
                    out.clear();
                    client.write(out);
                    in.clear();
                    client.read(in); // blocking, with the socket's timeout
                } catch (java.io.IOException e) {
                    throw new AssertionError(e);
                }
            };
            for (int i = 0; i < WARM_UP; i++) {
                pingPong.run();
            }
            long before = threads.getThreadAllocatedBytes(harness.thread.getId());
            for (int i = 0; i < MEASURED; i++) {
                pingPong.run();
            }
            long allocated = threads.getThreadAllocatedBytes(harness.thread.getId()) - before;
            // the echo can reach us before the loop counts the handler's outcome
            LoopHarness.await("all counted", () -> udp.counters().handled() == WARM_UP + MEASURED);
            assertTrue(allocated / (double) MEASURED < MAX_BYTES_PER_PACKET,
                    "loop thread allocated " + allocated + " bytes for " + MEASURED + " datagrams");
        }
    }

    /**
     * Clients taking turns on one UDP listener: each on a socket of its own ({@link Flow#dedicatedTo}), nothing per
     * packet; on the listener alone, the JDK's receive makes an address per datagram once the sender changes.
     */
    @Test
    void interleavedUdpClientsAllocateNothingPerPacketOnTheirOwnSockets() throws Exception {
        Assumptions.assumeTrue(DatagramChannel.open().supportedOptions()
                .contains(java.net.StandardSocketOptions.SO_REUSEPORT), "no SO_REUSEPORT: one socket serves all");
        double own = interleavedBytesPerPacket(3, true);
        assertTrue(own < MAX_BYTES_PER_PACKET, "own sockets: " + own + " bytes per datagram");
        double shared = interleavedBytesPerPacket(3, false);
        assertTrue(shared >= MAX_BYTES_PER_PACKET, "the listener alone: " + shared
                + " bytes per datagram (does the JDK's receive no longer make an address per sender?)");
    }

    private double interleavedBytesPerPacket(int n, boolean ownSockets) throws Exception {
        com.sun.management.ThreadMXBean threads = ThreadAllocation.bean();
        try (LoopHarness harness = LoopHarness.start("alloc-udp-" + n)) {
            Demultiplexer demux = Demultiplexer.builder().route(PacketClass.STUN, echo()).build();
            UdpEndpoint udp = UdpEndpoint.open(harness.loop, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                    demux, UdpOptions.DEFAULTS.withClientSockets(ownSockets));
            DatagramChannel[] clients = new DatagramChannel[n];
            try {
                for (int i = 0; i < n; i++) {
                    clients[i] = DatagramChannel.open(StandardProtocolFamily.INET);
                    clients[i].bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                    clients[i].connect(udp.localAddress());
                    clients[i].socket().setSoTimeout(5000);
                    InetSocketAddress at = (InetSocketAddress) clients[i].getLocalAddress();
                    Flow flow = harness.call(() -> udp.dedicatedTo(at));
                    assertTrue(ownSockets == (flow != null), "a socket of its own: " + flow);
                }
                ByteBuffer out = ByteBuffer.wrap(Frames.stun(32, 1));
                ByteBuffer in = ByteBuffer.allocate(2048);
                Runnable round = () -> {
                    try {
                        for (DatagramChannel client : clients) {
                            out.clear();
                            client.write(out);
                            in.clear();
                            client.read(in);
                        }
                    } catch (java.io.IOException e) {
                        throw new AssertionError(e);
                    }
                };
                for (int i = 0; i < WARM_UP / n; i++) {
                    round.run();
                }
                long before = threads.getThreadAllocatedBytes(harness.thread.getId());
                for (int i = 0; i < MEASURED / n; i++) {
                    round.run();
                }
                long allocated = threads.getThreadAllocatedBytes(harness.thread.getId()) - before;
                long total = (long) (WARM_UP / n + MEASURED / n) * n;
                LoopHarness.await("all counted", () -> udp.counters().handled() == total);
                return allocated / (double) (MEASURED / n * n);
            } finally {
                for (DatagramChannel client : clients) {
                    if (client != null) {
                        client.close();
                    }
                }
            }
        }
    }

    @Test
    void tcpEchoAllocatesNothingPerFrame() throws Exception {
        com.sun.management.ThreadMXBean threads = ThreadAllocation.bean();
        try (LoopHarness harness = LoopHarness.start("alloc-tcp")) {
            Demultiplexer demux = Demultiplexer.builder().route(PacketClass.STUN, echo()).build();
            TcpAcceptor tcp = TcpAcceptor.open(harness.loop, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), demux);
            try (SocketChannel client = SocketChannel.open(tcp.localAddress())) {
                client.socket().setSoTimeout(5000);
                byte[] frame = Frames.stun(32, 1);
                ByteBuffer out = ByteBuffer.wrap(frame);
                ByteBuffer in = ByteBuffer.allocate(frame.length);
                java.io.InputStream input = client.socket().getInputStream();
                byte[] reply = new byte[frame.length];
                Runnable pingPong = () -> {
                    try {
                        out.clear();
                        while (out.hasRemaining()) {
                            client.write(out);
                        }
                        int got = 0;
                        while (got < reply.length) {
                            int n = input.read(reply, got, reply.length - got);
                            if (n < 0) {
                                throw new AssertionError("closed");
                            }
                            got += n;
                        }
                    } catch (java.io.IOException e) {
                        throw new AssertionError(e);
                    }
                };
                for (int i = 0; i < WARM_UP; i++) {
                    pingPong.run();
                }
                long before = threads.getThreadAllocatedBytes(harness.thread.getId());
                for (int i = 0; i < MEASURED; i++) {
                    pingPong.run();
                }
                long allocated = threads.getThreadAllocatedBytes(harness.thread.getId()) - before;
                LoopHarness.await("all counted", () -> tcp.counters().handled() == WARM_UP + MEASURED);
                assertTrue(allocated / (double) MEASURED < MAX_BYTES_PER_PACKET,
                        "loop thread allocated " + allocated + " bytes for " + MEASURED + " frames");
                assertTrue(in.capacity() > 0);
            }
        }
    }

    /**
     * The JDK's SSLEngine makes garbage on every record (cipher parameters, result objects: about 1.3 KB each way,
     * measured), which no code around it can avoid. What must be nothing is the rest: the loop thread's bytes per
     * echoed frame minus what the engine allocated inside its own calls, measured around each call.
     */
    @Test
    void tlsEchoAllocatesNothingBeyondTheJdkEngine() throws Exception {
        com.sun.management.ThreadMXBean threads = ThreadAllocation.bean();
        MeasuringSslContext measured = MeasuringSslContext.around(TestTls.serverSslContext());
        TlsContext context = new TlsContext(measured, TlsContext.DEFAULT_PROTOCOLS,
                TlsContext.DEFAULT_HANDSHAKE_TIMEOUT);
        try (LoopHarness harness = LoopHarness.start("alloc-tls")) {
            Demultiplexer demux = Demultiplexer.builder().route(PacketClass.STUN, echo()).build();
            TcpAcceptor tls = TcpAcceptor.open(harness.loop, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                    demux, TcpOptions.DEFAULTS, context);
            try (javax.net.ssl.SSLSocket client = TestTls.connect(tls.localAddress(), "TLSv1.3")) {
                byte[] frame = Frames.stun(32, 1);
                byte[] reply = new byte[frame.length];
                java.io.OutputStream output = client.getOutputStream();
                java.io.DataInputStream input = new java.io.DataInputStream(client.getInputStream());
                Runnable pingPong = () -> {
                    try {
                        output.write(frame);
                        input.readFully(reply);
                    } catch (java.io.IOException e) {
                        throw new AssertionError(e);
                    }
                };
                for (int i = 0; i < WARM_UP; i++) {
                    pingPong.run();
                }
                long before = threads.getThreadAllocatedBytes(harness.thread.getId());
                long engineBefore = measured.engineBytes();
                for (int i = 0; i < MEASURED; i++) {
                    pingPong.run();
                }
                long allocated = threads.getThreadAllocatedBytes(harness.thread.getId()) - before;
                long engine = measured.engineBytes() - engineBefore;
                LoopHarness.await("all counted", () -> tls.counters().handled() == WARM_UP + MEASURED);
                assertTrue(engine > 0, "the measurement sees the engine");
                double ours = (allocated - engine) / (double) MEASURED;
                assertTrue(ours < MAX_BYTES_PER_PACKET, "loop thread allocated " + ours + " bytes per TLS frame beyond"
                        + " the engine's " + engine / (double) MEASURED);
            }
        }
    }

    private static PacketHandler echo() {
        return (packet, source, flow, scratch) -> {
            scratch.put(packet).flip();
            return flow.send(scratch, source) ? Outcome.HANDLED : Outcome.DROPPED;
        };
    }
}
