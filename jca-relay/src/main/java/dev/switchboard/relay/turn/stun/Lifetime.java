package dev.switchboard.relay.turn.stun;

import dev.switchboard.relay.stun.NumberAttribute;
import dev.switchboard.relay.stun.StunEncoder;
import dev.switchboard.relay.stun.StunException;
import dev.switchboard.relay.stun.StunMessage;

/** LIFETIME (RFC 8656 §18.2): an allocation's remaining lifetime in seconds, 32 bits unsigned. */
public final class Lifetime extends NumberAttribute {

    public static final Lifetime ATTRIBUTE = new Lifetime();

    private Lifetime() {
        super(TurnAttribute.LIFETIME, "LIFETIME", 4);
    }

    /** The seconds, or -1 when absent. */
    public static long get(StunMessage m) throws StunException {
        return m.getUnsigned32(TurnAttribute.LIFETIME);
    }

    @Override
    protected void write(StunEncoder out, long seconds) {
        out.addUnsigned32(TurnAttribute.LIFETIME, seconds);
    }
}
