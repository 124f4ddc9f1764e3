package dev.switchboard.relay.transport;

import java.nio.ByteBuffer;

/** Builds STUN and ChannelData frames for tests: only the fields the transport looks at are meaningful. */
final class Frames {

    private Frames() {
    }

    /** A STUN Binding request with a {@code bodyLength}-byte body (a multiple of 4) of a recognisable pattern. */
    static byte[] stun(int bodyLength, int seed) {
        ByteBuffer b = ByteBuffer.allocate(20 + bodyLength);
        b.putShort((short) 0x0001).putShort((short) bodyLength).putInt(0x2112A442);
        for (int i = 0; i < 12; i++) {
            b.put((byte) (seed + i));
        }
        for (int i = 0; i < bodyLength; i++) {
            b.put((byte) (seed * 31 + i));
        }
        return b.array();
    }

    /** A ChannelData message (channel 0x4000) of {@code dataLength} bytes, without stream padding. */
    static byte[] channelData(int dataLength, int seed) {
        ByteBuffer b = ByteBuffer.allocate(4 + dataLength);
        b.putShort((short) 0x4000).putShort((short) dataLength);
        for (int i = 0; i < dataLength; i++) {
            b.put((byte) (seed + i));
        }
        return b.array();
    }

    /** The bytes of {@code message} followed by zero padding up to a multiple of 4, as sent on a stream. */
    static byte[] padded(byte[] message) {
        byte[] out = new byte[(message.length + 3) & ~3];
        System.arraycopy(message, 0, out, 0, message.length);
        return out;
    }

    static byte[] concat(byte[]... parts) {
        int total = 0;
        for (byte[] p : parts) {
            total += p.length;
        }
        byte[] out = new byte[total];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
