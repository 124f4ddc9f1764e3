package dev.switchboard.relay.transport;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class StreamFramerTest {

    private final StreamFramer framer = new StreamFramer(TcpOptions.DEFAULT_BUFFER_SIZE);

    @Test
    void stunFrameIsHeaderPlusLength() {
        byte[] stun = Frames.stun(8, 1);
        assertEquals(28, framer.frameLength(ByteBuffer.wrap(stun)));
        assertEquals(28, StreamFramer.messageLength(ByteBuffer.wrap(stun)));
        assertEquals(20, framer.frameLength(ByteBuffer.wrap(Frames.stun(0, 1))));
    }

    @Test
    void aStreamOpensWithStunOrWithAnRfc4571FramedBindingRequest() {
        byte[] stun = Frames.stun(8, 1);
        assertEquals(StreamFramer.STUN_STREAM, StreamFramer.checkStreamStart(ByteBuffer.wrap(stun)));
        byte[] framed = Frames.concat(new byte[] {0, (byte) stun.length}, stun);
        assertEquals(StreamFramer.NEED_MORE, StreamFramer.checkStreamStart(ByteBuffer.wrap(framed, 0, 9)));
        assertEquals(StreamFramer.FRAMED_STREAM, StreamFramer.checkStreamStart(ByteBuffer.wrap(framed)));
        assertEquals(stun.length + 2, framer.framedLength(ByteBuffer.wrap(framed), Integer.MAX_VALUE));
        assertEquals(StreamFramer.NEED_MORE, framer.framedLength(ByteBuffer.wrap(framed, 0, 20), Integer.MAX_VALUE));
        assertEquals(StreamFramer.MALFORMED, framer.framedLength(ByteBuffer.wrap(framed), 10), "over the limit");
        byte[] shortLength = framed.clone();
        shortLength[1] = 19; // no room for a STUN header
        assertEquals(StreamFramer.MALFORMED, StreamFramer.checkStreamStart(ByteBuffer.wrap(shortLength)));
        byte[] noCookie = framed.clone();
        noCookie[6] = 0;
        assertEquals(StreamFramer.MALFORMED, StreamFramer.checkStreamStart(ByteBuffer.wrap(noCookie)));
    }

    @Test
    void needsMoreUntilTheWholeFrameIsThere() {
        byte[] stun = Frames.stun(8, 1);
        for (int n = 0; n < stun.length; n++) {
            assertEquals(StreamFramer.NEED_MORE, framer.frameLength(ByteBuffer.wrap(stun, 0, n)), n + " bytes");
        }
        assertEquals(stun.length, framer.frameLength(ByteBuffer.wrap(stun)));
    }

    @Test
    void readsAtPositionWithoutMovingIt() {
        byte[] two = Frames.concat(Frames.stun(4, 1), Frames.stun(12, 2));
        ByteBuffer b = ByteBuffer.wrap(two);
        assertEquals(24, framer.frameLength(b));
        b.position(24);
        assertEquals(32, framer.frameLength(b));
        assertEquals(24, b.position());
    }

    @Test
    void stunLengthNotAMultipleOfFourIsMalformed() {
        byte[] stun = Frames.stun(8, 1);
        stun[3] = 7;
        assertEquals(StreamFramer.MALFORMED, framer.frameLength(ByteBuffer.wrap(stun)));
    }

    @Test
    void channelDataIsPaddedToFourOnStreamsButTheMessageIsNot() {
        for (int data = 0; data <= 9; data++) {
            byte[] message = Frames.channelData(data, 3);
            byte[] wire = Frames.padded(message);
            assertEquals(StreamFramer.NEED_MORE, framer.frameLength(ByteBuffer.wrap(wire, 0, wire.length - 1)),
                    "padding must arrive too, data " + data);
            assertEquals(wire.length, framer.frameLength(ByteBuffer.wrap(wire)), "data " + data);
            assertEquals(4 + data, StreamFramer.messageLength(ByteBuffer.wrap(wire)), "data " + data);
        }
    }

    @Test
    void otherFirstBytesAreMalformed() {
        for (int b = 0; b < 256; b++) {
            PacketClass c = PacketClass.ofFirstByte(b);
            if (c == PacketClass.STUN || c == PacketClass.CHANNEL_DATA) {
                continue;
            }
            ByteBuffer buf = ByteBuffer.wrap(new byte[]{(byte) b, 0, 0, 0, 0, 0, 0, 0});
            assertEquals(StreamFramer.MALFORMED, framer.frameLength(buf), "first byte " + b);
        }
    }

    @Test
    void framesLargerThanTheLimitAreMalformedAsSoonAsTheHeaderIsSeen() {
        StreamFramer small = new StreamFramer(64);
        assertEquals(StreamFramer.MALFORMED, small.frameLength(ByteBuffer.wrap(Frames.stun(48, 1), 0, 4)));
        assertEquals(64, small.frameLength(ByteBuffer.wrap(Frames.stun(44, 1))));
        assertEquals(StreamFramer.MALFORMED, small.frameLength(ByteBuffer.wrap(Frames.channelData(61, 1), 0, 4)));
        assertEquals(64, small.frameLength(ByteBuffer.wrap(Frames.padded(Frames.channelData(60, 1)))));
        assertThrows(IllegalArgumentException.class, () -> new StreamFramer(19));
    }

    @Test
    void theDefaultLimitHoldsTheLargestLegalFrames() {
        byte[] header = {0x00, 0x01, (byte) 0xFF, (byte) 0xFC};
        ByteBuffer big = ByteBuffer.allocate(20 + 0xFFFC).put(header);
        big.position(0);
        assertEquals(20 + 0xFFFC, framer.frameLength(big));
        ByteBuffer cd = ByteBuffer.allocate(4 + 0xFFFF + 1).put(new byte[]{0x4F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
        cd.position(0);
        assertEquals(4 + 0x10000, framer.frameLength(cd));
    }
}
