package dev.switchboard.relay.transport;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DemultiplexerTest {

    private static final InetSocketAddress SOURCE = new InetSocketAddress("127.0.0.1", 40000);

    @Test
    void classifiesEveryFirstByteByRfc7983RangesWithRfc5766Channels() {
        for (int b = 0; b < 256; b++) {
            PacketClass expected = b <= 3 ? PacketClass.STUN
                    : b >= 16 && b <= 19 ? PacketClass.ZRTP
                    : b >= 20 && b <= 63 ? PacketClass.DTLS
                    : b >= 64 && b <= 127 ? PacketClass.CHANNEL_DATA
                    : b >= 128 && b <= 191 ? PacketClass.RTP_RTCP
                    : PacketClass.UNKNOWN;
            assertEquals(expected, PacketClass.ofFirstByte(b), "first byte " + b);
            assertEquals(expected, PacketClass.ofFirstByte((byte) b), "first byte " + b + " as a signed byte");
        }
        // the edges, spelled out
        assertEquals(PacketClass.STUN, PacketClass.ofFirstByte(3));
        assertEquals(PacketClass.UNKNOWN, PacketClass.ofFirstByte(4));
        assertEquals(PacketClass.UNKNOWN, PacketClass.ofFirstByte(15));
        assertEquals(PacketClass.ZRTP, PacketClass.ofFirstByte(16));
        assertEquals(PacketClass.DTLS, PacketClass.ofFirstByte(20));
        assertEquals(PacketClass.DTLS, PacketClass.ofFirstByte(63));
        assertEquals(PacketClass.CHANNEL_DATA, PacketClass.ofFirstByte(64));
        assertEquals(PacketClass.CHANNEL_DATA, PacketClass.ofFirstByte(79));
        assertEquals(PacketClass.CHANNEL_DATA, PacketClass.ofFirstByte(80), "RFC 5766 channel 0x5000");
        assertEquals(PacketClass.CHANNEL_DATA, PacketClass.ofFirstByte(127), "RFC 5766 channel 0x7FFF");
        assertEquals(PacketClass.RTP_RTCP, PacketClass.ofFirstByte(128));
        assertEquals(PacketClass.RTP_RTCP, PacketClass.ofFirstByte(191));
        assertEquals(PacketClass.UNKNOWN, PacketClass.ofFirstByte(192));
        assertEquals(PacketClass.UNKNOWN, PacketClass.ofFirstByte(255));
    }

    @Test
    void routesEachClassToItsHandler() {
        Map<PacketClass, List<Integer>> seen = new EnumMap<>(PacketClass.class);
        Demultiplexer.Builder builder = Demultiplexer.builder();
        for (PacketClass c : PacketClass.values()) {
            if (c != PacketClass.UNKNOWN) {
                seen.put(c, new ArrayList<>());
                builder.route(c, (packet, source, flow, scratch) -> {
                    seen.get(c).add(packet.get(packet.position()) & 0xFF);
                    return Outcome.HANDLED;
                });
            }
        }
        Demultiplexer demux = builder.build();
        RecordingFlow flow = new RecordingFlow();
        for (int b = 0; b < 256; b++) {
            Outcome outcome = demux.handle(packet(b, 1, 2, 3), SOURCE, flow, scratch());
            boolean known = PacketClass.ofFirstByte(b) != PacketClass.UNKNOWN;
            assertEquals(known ? Outcome.HANDLED : Outcome.DROPPED, outcome, "first byte " + b);
        }
        for (Map.Entry<PacketClass, List<Integer>> e : seen.entrySet()) {
            assertTrue(!e.getValue().isEmpty(), e.getKey() + " got packets");
            for (int b : e.getValue()) {
                assertEquals(e.getKey(), PacketClass.ofFirstByte(b), "byte " + b + " went to " + e.getKey());
            }
        }
        assertEquals(0, flow.sends, "routing itself never replies");
    }

    @Test
    void unregisteredAndUnknownAreDroppedWithoutReply() {
        RecordingFlow flow = new RecordingFlow();
        PacketHandler echo = (packet, source, f, scratch) -> {
            f.send(packet, source);
            return Outcome.HANDLED;
        };
        Demultiplexer demux = Demultiplexer.builder().route(PacketClass.STUN, echo).build();

        assertEquals(Outcome.DROPPED, demux.handle(packet(0xFF, 0), SOURCE, flow, scratch()), "unknown");
        assertEquals(Outcome.DROPPED, demux.handle(packet(0x80, 0), SOURCE, flow, scratch()), "RTP, unrouted");
        assertEquals(Outcome.DROPPED, demux.handle(packet(0x17, 0), SOURCE, flow, scratch()), "DTLS, unrouted");
        assertEquals(Outcome.DROPPED, demux.handle(ByteBuffer.allocate(0), SOURCE, flow, scratch()), "empty");
        assertEquals(0, flow.sends);

        assertEquals(Outcome.HANDLED, demux.handle(packet(0x00, 1), SOURCE, flow, scratch()));
        assertEquals(1, flow.sends);
    }

    @Test
    void classifiesAtPositionAndPassesThePacketUntouched() {
        ByteBuffer buffer = ByteBuffer.wrap(new byte[]{(byte) 0xFF, (byte) 0xFF, 0x40, 0x00, 0x00, 0x00});
        buffer.position(2);
        PacketHandler channelData = (packet, source, flow, scratch) -> {
            assertEquals(2, packet.position());
            assertEquals(6, packet.limit());
            return Outcome.HANDLED;
        };
        Demultiplexer demux = Demultiplexer.builder().route(PacketClass.CHANNEL_DATA, channelData).build();
        assertEquals(Outcome.HANDLED, demux.handle(buffer, SOURCE, new RecordingFlow(), scratch()));
        assertSame(channelData, demux.handlerFor(PacketClass.CHANNEL_DATA));
        assertNull(demux.handlerFor(PacketClass.STUN));
    }

    @Test
    void unknownCannotBeRoutedAndLaterChangesToTheMapDoNotLeakIn() {
        PacketHandler h = (packet, source, flow, scratch) -> Outcome.HANDLED;
        assertThrows(IllegalArgumentException.class,
                () -> Demultiplexer.builder().route(PacketClass.UNKNOWN, h).build());

        Map<PacketClass, PacketHandler> routes = new EnumMap<>(PacketClass.class);
        Demultiplexer demux = new Demultiplexer(routes);
        routes.put(PacketClass.STUN, h);
        assertEquals(Outcome.DROPPED, demux.handle(packet(0, 0), SOURCE, new RecordingFlow(), scratch()));
    }

    private static ByteBuffer packet(int... bytes) {
        ByteBuffer b = ByteBuffer.allocate(bytes.length);
        for (int v : bytes) {
            b.put((byte) v);
        }
        return b.flip();
    }

    private static ByteBuffer scratch() {
        return ByteBuffer.allocate(PacketHandler.SCRATCH_SIZE);
    }

    private static final class RecordingFlow implements Flow {
        int sends;

        @Override
        public Protocol protocol() {
            return Protocol.UDP;
        }

        @Override
        public InetSocketAddress localAddress() {
            return SOURCE;
        }

        @Override
        public InetSocketAddress remoteAddress() {
            return null;
        }

        @Override
        public boolean send(ByteBuffer data, InetSocketAddress remote) {
            sends++;
            data.position(data.limit());
            return true;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }
}
