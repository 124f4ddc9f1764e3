package dev.switchboard.relay.turn.stun;

import dev.switchboard.relay.stun.NumberAttribute;
import dev.switchboard.relay.stun.StunEncoder;
import dev.switchboard.relay.stun.StunException;
import dev.switchboard.relay.stun.StunMessage;

/** EVEN-PORT (RFC 8656 §18.6): one byte, whose top bit R asks the server to reserve the next port as well. */
public final class EvenPort extends NumberAttribute {

    public static final EvenPort ATTRIBUTE = new EvenPort();

    // The two values, so writing one allocates nothing.
    private static final byte[] RESERVE = {(byte) 0x80};
    private static final byte[] NO_RESERVE = {0};

    private EvenPort() {
        super(TurnAttribute.EVEN_PORT, "EVEN-PORT", 1);
    }

    /** The R bit: 1 to reserve the next port, 0 not to, -1 when absent. */
    public static int get(StunMessage m) throws StunException {
        int i = m.indexOf(TurnAttribute.EVEN_PORT);
        if (i < 0) {
            return -1;
        }
        m.checkLength(i, 1);
        return (m.byteAt(m.attributeOffset(i)) & 0x80) >>> 7;
    }

    /** @param reserveNext 1 to set R (reserve the next port), 0 not to */
    @Override
    protected void write(StunEncoder out, long reserveNext) {
        if (reserveNext != 0 && reserveNext != 1) {
            throw new IllegalArgumentException("EVEN-PORT's R bit is 0 or 1: " + reserveNext);
        }
        out.add(TurnAttribute.EVEN_PORT, reserveNext == 1 ? RESERVE : NO_RESERVE);
    }
}
