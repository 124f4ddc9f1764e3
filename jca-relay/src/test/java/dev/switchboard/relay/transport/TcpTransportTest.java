package dev.switchboard.relay.transport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static dev.switchboard.relay.transport.LoopFixture.assertClosedByServer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TcpTransportTest {

    @RegisterExtension
    final LoopFixture fixture = new LoopFixture("tcp");

    @Test
    void aFrameSplitByteByByteArrivesWhole() throws Exception {
        RecordingHandler handler = new RecordingHandler(false);
        TcpAcceptor tcp = open(handler, TcpOptions.DEFAULTS);
        byte[][] frames = {Frames.stun(8, 1), Frames.stun(0, 2), Frames.stun(36, 3)};
        try (Socket client = connect(tcp)) {
            OutputStream out = client.getOutputStream();
            for (byte[] frame : frames) {
                for (byte b : frame) {
                    out.write(b);
                    out.flush();
                    Thread.sleep(1); // makes separate segments, so the server really reads a byte at a time
                }
            }
            LoopHarness.await("three frames", () -> handler.packets.size() == 3);
        }
        for (int i = 0; i < frames.length; i++) {
            assertArrayEquals(frames[i], handler.packets.get(i), "frame " + i);
        }
        assertEquals(3, tcp.counters().packetsIn());
        LoopHarness.await("outcomes counted", () -> tcp.counters().handled() == 3); // counted after the handler returns
    }

    @Test
    void framesCoalescedInOneWriteArriveOneByOne() throws Exception {
        RecordingHandler handler = new RecordingHandler(false);
        TcpAcceptor tcp = open(handler, TcpOptions.DEFAULTS);
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            frames.add(Frames.stun(4 * (i % 7), i));
        }
        try (Socket client = connect(tcp)) {
            client.getOutputStream().write(Frames.concat(frames.toArray(new byte[0][])));
            LoopHarness.await("fifty frames", () -> handler.packets.size() == 50);
        }
        for (int i = 0; i < 50; i++) {
            assertArrayEquals(frames.get(i), handler.packets.get(i), "frame " + i);
        }
    }

    @Test
    void randomMixOfStunAndPaddedChannelDataSplitAnywhereArrivesIntact() throws Exception {
        RecordingHandler handler = new RecordingHandler(false).binding(); // frames up to 64 KiB, as for TURN
        TcpAcceptor tcp = open(handler, TcpOptions.DEFAULTS);
        Random random = new Random(42);
        List<byte[]> messages = new ArrayList<>();
        List<byte[]> wire = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            // a stream must open with STUN (StreamFramer.checkStreamStart); after that, anything goes
            byte[] m = i == 0 || random.nextBoolean() ? Frames.stun(4 * random.nextInt(600), i)
                    : Frames.channelData(random.nextInt(2000), i);
            messages.add(m);
            wire.add(Frames.padded(m));
        }
        // one frame bigger than a typical socket read, to cross read boundaries for certain
        messages.add(Frames.stun(60_000, 7));
        wire.add(messages.get(messages.size() - 1));
        byte[] stream = Frames.concat(wire.toArray(new byte[0][]));
        try (Socket client = connect(tcp)) {
            OutputStream out = client.getOutputStream();
            int at = 0;
            while (at < stream.length) {
                int n = Math.min(stream.length - at, 1 + random.nextInt(3000));
                out.write(stream, at, n);
                out.flush();
                at += n;
                if (random.nextInt(10) == 0) {
                    Thread.sleep(1);
                }
            }
            LoopHarness.await("all frames", () -> handler.packets.size() == messages.size());
        }
        for (int i = 0; i < messages.size(); i++) {
            assertArrayEquals(messages.get(i), handler.packets.get(i), "message " + i);
        }
        assertEquals(stream.length, tcp.counters().bytesIn());
        assertEquals(0, tcp.counters().malformed());
        // Frames straddled reads all along, each borrowing a buffer for its rest: every one was given back.
        LoopHarness.await("no buffer lent", () -> tcp.counters().poolBytes() == 0);
    }

    @Test
    void aStreamThatDoesNotOpenWithStunIsClosed() throws Exception {
        RecordingHandler handler = new RecordingHandler(false);
        TcpAcceptor tcp = open(handler, TcpOptions.DEFAULTS);
        // "GET " starts with 0x47, a ChannelData first byte; a first frame of ChannelData is no better
        byte[][] openings = {"GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                Frames.padded(Frames.channelData(8, 1)),
                {0x00, 0x01, 0x00, 0x00, 0x01, 0x02, 0x03, 0x04}}; // STUN-like type, no magic cookie
        for (byte[] opening : openings) {
            try (Socket client = connect(tcp)) {
                client.setSoTimeout(5000);
                client.getOutputStream().write(opening);
                assertEquals(-1, client.getInputStream().read(), "connection should be closed");
            }
        }
        assertEquals(0, handler.packets.size());
        LoopHarness.await("three malformed", () -> tcp.counters().malformed() == 3);
    }

    @Test
    void channelDataPaddingIsSkippedAndNotHandedOver() throws Exception {
        RecordingHandler handler = new RecordingHandler(false);
        TcpAcceptor tcp = open(handler, TcpOptions.DEFAULTS);
        List<byte[]> messages = new ArrayList<>();
        List<byte[]> wire = new ArrayList<>();
        byte[] stun = Frames.stun(4, 9); // a stream must open with STUN
        messages.add(stun);
        wire.add(stun);
        for (int data = 1; data <= 5; data++) {
            byte[] m = Frames.channelData(data, data);
            messages.add(m);
            byte[] w = Frames.padded(m);
            for (int p = m.length; p < w.length; p++) {
                w[p] = (byte) 0xEE; // the padding's content is not ours to check
            }
            wire.add(w);
        }
        try (Socket client = connect(tcp)) {
            client.getOutputStream().write(Frames.concat(wire.toArray(new byte[0][])));
            LoopHarness.await("six messages", () -> handler.packets.size() == 6);
        }
        for (int i = 0; i < messages.size(); i++) {
            assertArrayEquals(messages.get(i), handler.packets.get(i), "message " + i);
        }
        assertEquals(5, handler.packets.get(1).length, "4-byte header + 1 data byte, no padding");
    }

    @Test
    void repliesGoBackOnTheConnection() throws Exception {
        RecordingHandler handler = new RecordingHandler(true);
        TcpAcceptor tcp = open(handler, TcpOptions.DEFAULTS);
        try (Socket client = connect(tcp)) {
            byte[] a = Frames.stun(12, 1);
            byte[] b = Frames.stun(40, 2);
            client.getOutputStream().write(Frames.concat(a, b));
            DataInputStream in = new DataInputStream(client.getInputStream());
            byte[] back = new byte[a.length + b.length];
            in.readFully(back);
            assertArrayEquals(Frames.concat(a, b), back);
            Flow flow = handler.flows.get(0);
            assertEquals(Protocol.TCP, flow.protocol());
            assertEquals(client.getLocalSocketAddress(), flow.remoteAddress());
            assertEquals(tcp.localAddress(), flow.localAddress());
        }
        LoopHarness.await("counted", () -> tcp.counters().packetsOut() == 2);
        assertEquals(tcp.counters().bytesIn(), tcp.counters().bytesOut());
    }

    @Test
    void anIceTcpStreamIsFramedByRfc4571BothWays() throws Exception {
        // RFC 6544 §3: an ICE-TCP stream opens with a Binding request behind a 2-byte length; every packet after it
        // (DTLS, SRTP here as arbitrary bytes) is framed the same, replies too; empty frames are skipped.
        RecordingHandler handler = new RecordingHandler(true);
        TcpAcceptor tcp = open(handler, TcpOptions.DEFAULTS);
        byte[] check = Frames.stun(12, 1);
        check[1] = 0x01; // a Binding request
        check[0] = 0x00;
        byte[] dtls = {22, (byte) 0xFE, (byte) 0xFD, 0, 0, 1, 2, 3};
        byte[] rtp = new byte[300];
        rtp[0] = (byte) 0x80;
        try (Socket client = connect(tcp)) {
            client.getOutputStream().write(Frames.concat(framed(check), new byte[] {0, 0}, framed(dtls), framed(rtp)));
            LoopHarness.await("three packets", () -> handler.packets.size() == 3);
            assertArrayEquals(check, handler.packets.get(0));
            assertArrayEquals(dtls, handler.packets.get(1));
            assertArrayEquals(rtp, handler.packets.get(2));
            DataInputStream in = new DataInputStream(client.getInputStream());
            byte[] back = new byte[check.length + dtls.length + rtp.length + 6];
            in.readFully(back);
            assertArrayEquals(Frames.concat(framed(check), framed(dtls), framed(rtp)), back, "echoed, each framed");
        }
    }

    @Test
    void aStreamThatLooksFramedButIsNoBindingRequestIsClosed() throws Exception {
        RecordingHandler handler = new RecordingHandler(false);
        TcpAcceptor tcp = open(handler, TcpOptions.DEFAULTS);
        byte[] notBinding = Frames.stun(12, 1);
        notBinding[0] = 0x01; // an Allocate (0x0003) is no ICE check
        notBinding[1] = 0x03;
        try (Socket client = connect(tcp)) {
            client.getOutputStream().write(framed(notBinding));
            assertEquals(-1, client.getInputStream().read(), "closed");
        }
        assertEquals(0, handler.packets.size());
    }

    private static byte[] framed(byte[] packet) {
        return Frames.concat(new byte[] {(byte) (packet.length >>> 8), (byte) packet.length}, packet);
    }

    @Test
    void aGarbageStreamIsClosedWhileAnotherConnectionKeepsWorking() throws Exception {
        RecordingHandler handler = new RecordingHandler(true);
        TcpAcceptor tcp = open(handler, TcpOptions.DEFAULTS);
        Socket good = connect(tcp);
        Socket bad = connect(tcp);
        LoopHarness.await("both accepted", () -> tcp.counters().connectionsOpen() == 2);
        byte[] garbage = {(byte) 0xFF, 0x00, 0x00, 0x08, 1, 2, 3, 4, 5, 6, 7, 8};
        bad.getOutputStream().write(garbage);
        assertClosedByServer(bad);
        LoopHarness.await("bad one gone", () -> tcp.counters().connectionsOpen() == 1);
        assertEquals(1, tcp.counters().malformed());

        byte[] stun = Frames.stun(8, 5);
        good.getOutputStream().write(stun);
        byte[] back = new byte[stun.length];
        new DataInputStream(good.getInputStream()).readFully(back);
        assertArrayEquals(stun, back);
        assertTrue(tcp.isUp());
    }

    @Test
    void anOversizeFrameOrABadStunLengthClosesTheConnection() throws Exception {
        TcpAcceptor tcp = open(new RecordingHandler(true), TcpOptions.DEFAULTS.withReadBufferSize(1024));
        Socket oversize = connect(tcp);
        // header only: the length alone says it can never fit, so the server need not wait for the body
        oversize.getOutputStream().write(new byte[]{0x00, 0x01, 0x07, (byte) 0xD0, 0x21, 0x12, (byte) 0xA4, 0x42});
        assertClosedByServer(oversize);

        Socket misaligned = connect(tcp);
        byte[] stun = Frames.stun(8, 1);
        stun[3] = 6;
        misaligned.getOutputStream().write(stun);
        assertClosedByServer(misaligned);

        LoopHarness.await("both counted", () -> tcp.counters().malformed() == 2);
        LoopHarness.await("both gone", () -> tcp.counters().connectionsOpen() == 0);
        assertEquals(2, tcp.counters().connectionsAccepted());
    }

    @Test
    void aHandlerFailureClosesOnlyThatConnection() throws Exception {
        PacketHandler flaky = (packet, source, flow, scratch) -> {
            if (packet.get(packet.position() + 8) == 0x66) {
                throw new IllegalStateException("handler bug (expected by the test)");
            }
            flow.send(packet, source);
            return Outcome.HANDLED;
        };
        TcpAcceptor tcp = open(flaky, TcpOptions.DEFAULTS);
        Socket victim = connect(tcp);
        Socket other = connect(tcp);
        byte[] poison = Frames.stun(4, 0x66);
        victim.getOutputStream().write(poison);
        assertClosedByServer(victim);
        byte[] fine = Frames.stun(4, 1);
        other.getOutputStream().write(fine);
        byte[] back = new byte[fine.length];
        new DataInputStream(other.getInputStream()).readFully(back);
        assertArrayEquals(fine, back);
        assertEquals(1, tcp.counters().errors());
    }

    @Test
    void aSilentConnectionIsClosedAfterTheIdleTimeoutAndAnActiveOneIsNot() throws Exception {
        // 1 s: the chatty one's writes 50 ms apart keep it alive even on a machine that stalls for a while.
        TcpAcceptor tcp = open(new RecordingHandler(false), TcpOptions.DEFAULTS.withIdleTimeout(Duration.ofSeconds(1)));
        long start = System.nanoTime(); // before the connects: each timeout runs from an accept after this
        Socket silent = connect(tcp);
        Socket chatty = connect(tcp);
        for (int i = 0; i < 24; i++) {
            chatty.getOutputStream().write(Frames.stun(0, i));
            Thread.sleep(50);
        }
        // 1.2 s in: the silent one is gone, the chatty one (never quiet for 1 s) is not
        assertClosedByServer(silent);
        long closedAfterMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(closedAfterMillis >= 1000, "not before the timeout: " + closedAfterMillis);
        assertEquals(1, tcp.counters().connectionsTimedOut());
        assertEquals(1, tcp.counters().connectionsOpen());
        // now quiet: it goes too
        assertClosedByServer(chatty);
        assertEquals(2, tcp.counters().connectionsTimedOut());
        LoopHarness.await("none open", () -> tcp.counters().connectionsOpen() == 0);
    }

    @Test
    void activityJustBeforeTheIdleDeadlinePushesItOut() throws Exception {
        // The loop sleeps in select until the idle deadline; a read that wakes it must be stamped with the time of
        // the wakeup, not of the sleep's start, or the connection would be closed as if it had been silent.
        RecordingHandler handler = new RecordingHandler(false);
        // Each step has about half the timeout to spare, so a loaded machine's stalls do not decide the verdict.
        TcpAcceptor tcp = open(handler, TcpOptions.DEFAULTS.withIdleTimeout(Duration.ofSeconds(1)));
        Socket client = connect(tcp);
        LoopHarness.await("accepted", () -> tcp.counters().connectionsOpen() == 1);
        long accepted = System.nanoTime();
        Thread.sleep(550);
        client.getOutputStream().write(Frames.stun(0, 1));
        LoopHarness.await("frame read", () -> handler.packets.size() == 1);
        long sentAfterMillis = (System.nanoTime() - accepted) / 1_000_000;
        Thread.sleep(550); // past the first deadline (1000 ms), well before the pushed one (~1550 ms)
        assertEquals(1, tcp.counters().connectionsOpen(),
                "still open " + ((System.nanoTime() - accepted) / 1_000_000) + " ms after accept, active at "
                        + sentAfterMillis + " ms");
        assertClosedByServer(client);
        assertEquals(1, tcp.counters().connectionsTimedOut());
    }

    @Test
    void connectionsBeyondTheLimitAreRefusedAndAFreedSlotIsReused() throws Exception {
        TcpAcceptor tcp = open(new RecordingHandler(true), TcpOptions.DEFAULTS.withMaxConnections(2));
        Socket first = connect(tcp);
        Socket second = connect(tcp);
        LoopHarness.await("two open", () -> tcp.counters().connectionsOpen() == 2);
        Socket third = connect(tcp);
        assertClosedByServer(third);
        assertEquals(1, tcp.counters().connectionsRejected());
        assertEquals(2, tcp.counters().connectionsOpen());

        first.close();
        LoopHarness.await("slot freed", () -> tcp.counters().connectionsOpen() == 1);
        Socket fourth = connect(tcp);
        byte[] stun = Frames.stun(4, 4);
        fourth.getOutputStream().write(stun);
        byte[] back = new byte[stun.length];
        new DataInputStream(fourth.getInputStream()).readFully(back);
        assertArrayEquals(stun, back);
        assertEquals(3, tcp.counters().connectionsAccepted());
        assertTrue(second.isConnected());
    }

    @Test
    void aClientThatDoesNotReadGetsRepliesDroppedNotTheLoopBlocked() throws Exception {
        int replySize = 60_000;
        PacketHandler flood = (packet, source, flow, scratch) -> {
            for (int i = 0; i < 2000; i++) {
                scratch.clear();
                scratch.position(0).putShort((short) 0x0101).putShort((short) (replySize - 20));
                scratch.limit(replySize).position(0);
                flow.send(scratch, source);
            }
            return Outcome.HANDLED;
        };
        TcpAcceptor tcp = open(flood, TcpOptions.DEFAULTS);
        Socket sink = connect(tcp);
        sink.getOutputStream().write(Frames.stun(0, 1));
        LoopHarness.await("flood done", () -> tcp.counters().handled() == 1);
        long queued = tcp.counters().packetsOut();
        long dropped = tcp.counters().sendDropped();
        assertEquals(2000, queued + dropped);
        assertTrue(dropped > 0, "some replies were dropped");
        assertEquals("loop still serves", fixture.call(() -> "loop still serves"));

        // what was accepted arrives whole and in order: every reply starts at a frame boundary
        DataInputStream in = new DataInputStream(sink.getInputStream());
        byte[] reply = new byte[replySize];
        for (long i = 0; i < queued; i++) {
            in.readFully(reply);
            assertEquals(0x01, reply[0]);
            assertEquals(0x01, reply[1]);
        }
    }

    @Test
    void closingTheAcceptorClosesItsConnections() throws Exception {
        TcpAcceptor tcp = open(new RecordingHandler(true), TcpOptions.DEFAULTS);
        Socket client = connect(tcp);
        LoopHarness.await("open", () -> tcp.counters().connectionsOpen() == 1);
        tcp.close();
        assertFalse(tcp.isUp());
        assertClosedByServer(client);
        LoopHarness.await("none open", () -> tcp.counters().connectionsOpen() == 0);
    }

    private TcpAcceptor open(PacketHandler handler, TcpOptions options) throws IOException {
        return fixture.acceptor(handler, options, null);
    }

    private Socket connect(TcpAcceptor tcp) throws IOException {
        return fixture.connect(tcp.localAddress());
    }
}
