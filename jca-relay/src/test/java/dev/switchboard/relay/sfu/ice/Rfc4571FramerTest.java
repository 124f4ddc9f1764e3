package dev.switchboard.relay.sfu.ice;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** RFC 4571 §2: a 16-bit big-endian length, then that many bytes of packet. */
class Rfc4571FramerTest {

    private final Rfc4571Framer framer = new Rfc4571Framer(1500);

    @Test
    void findsFramesBackToBackAndWaitsForPartialOnes() {
        ByteBuffer stream = ByteBuffer.wrap(new byte[]{0, 3, 'a', 'b', 'c', 0, 0, 0x01, 0x00, 'x'});
        assertEquals(5, framer.frameLength(stream));
        stream.position(5);
        assertEquals(2, framer.frameLength(stream), "an empty packet is a two-byte frame");
        stream.position(7);
        assertEquals(Rfc4571Framer.NEED_MORE, framer.frameLength(stream), "256 announced, 1 here");
        stream.position(9);
        assertEquals(Rfc4571Framer.NEED_MORE, framer.frameLength(stream), "half a prefix");
        assertEquals(9, stream.position(), "moves nothing");
    }

    @Test
    void aTooLongFrameIsMalformedAsSoonAsItsPrefixIsIn() {
        assertEquals(Rfc4571Framer.MALFORMED, framer.frameLength(ByteBuffer.wrap(new byte[]{0x05, (byte) 0xDD})),
                "1501 > 1500");
        assertEquals(Rfc4571Framer.NEED_MORE, framer.frameLength(ByteBuffer.wrap(new byte[]{0x05, (byte) 0xDC})),
                "1500 is allowed, and not all here");
        assertEquals(Rfc4571Framer.NEED_MORE,
                new Rfc4571Framer(0xFFFF).frameLength(ByteBuffer.wrap(new byte[]{(byte) 0xFF, (byte) 0xFF, 1})));
        assertThrows(IllegalArgumentException.class, () -> new Rfc4571Framer(0x10000));
    }

    @Test
    void prefixWritesTheLengthInFrontOfAReply() {
        ByteBuffer reply = ByteBuffer.allocate(64);
        reply.position(Rfc4571Framer.HEADER_LENGTH);
        reply.put(new byte[]{9, 8, 7, 6}).flip().position(Rfc4571Framer.HEADER_LENGTH); // as the agent leaves it
        Rfc4571Framer.prefix(reply);
        assertEquals(0, reply.position());
        assertEquals(6, reply.limit());
        assertEquals(4, Rfc4571Framer.payloadLength(reply, 0));
        assertEquals(6, framer.frameLength(reply));
        assertThrows(IllegalArgumentException.class, () -> Rfc4571Framer.prefix(ByteBuffer.allocate(8)),
                "no room in front");
    }
}
