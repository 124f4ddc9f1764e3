package dev.switchboard.relay.stun;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.Consumer;

/** Encodes and decodes whole messages for the codec tests of the protocols built on STUN (turn.stun, ice). */
public final class TestMessages {

    public static final byte[] TID = StunVectors.bytes(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);

    private TestMessages() {
    }

    /** A message of this method and class with the given attributes: exactly the message bytes. */
    public static byte[] encode(int method, StunClass cls, Consumer<StunEncoder> attributes) {
        ByteBuffer out = ByteBuffer.allocate(StunHeader.MAX_MESSAGE_LENGTH);
        StunEncoder e = new StunEncoder().begin(out, method, cls, TID);
        attributes.accept(e);
        e.finish();
        return Arrays.copyOfRange(out.array(), out.position(), out.limit());
    }

    /** A Binding request with the given attributes, decoded. */
    public static StunMessage request(Consumer<StunEncoder> attributes) throws StunException {
        return decode(encode(StunMethod.BINDING, StunClass.REQUEST, attributes));
    }

    /** A Binding request whose one attribute is {@code type} with the raw {@code value}, decoded. */
    public static StunMessage withRaw(int type, byte[] value) throws StunException {
        return request(e -> e.add(type, value));
    }

    public static StunMessage decode(byte[] message) throws StunException {
        StunMessage m = new StunMessage();
        m.decode(ByteBuffer.wrap(message));
        return m;
    }
}
