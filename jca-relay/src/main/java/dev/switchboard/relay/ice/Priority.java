package dev.switchboard.relay.ice;

import dev.switchboard.relay.stun.NumberAttribute;
import dev.switchboard.relay.stun.StunEncoder;
import dev.switchboard.relay.stun.StunException;
import dev.switchboard.relay.stun.StunMessage;

/**
 * PRIORITY (RFC 8445 §7.1.1, §16.1): the priority, 32 bits, that the sender's peer-reflexive candidate would
 * have; a lite agent learns peer-reflexive remote candidates with it (§7.3.1.3).
 */
public final class Priority extends NumberAttribute {

    public static final Priority ATTRIBUTE = new Priority();

    /** RFC 8445 §5.1.2.2: recommended type preferences. */
    public static final int HOST = 126;
    public static final int PEER_REFLEXIVE = 110;
    public static final int SERVER_REFLEXIVE = 100;
    public static final int RELAYED = 0;

    private Priority() {
        super(IceAttribute.PRIORITY, "PRIORITY", 4);
    }

    /** RFC 8445 §5.1.2.1: a priority is 1..2^31-1 (a receiver reads all 32 bits). */
    public static final long MAX = 0x7FFFFFFFL;

    /** The priority, or -1 when absent. */
    public static long get(StunMessage m) throws StunException {
        return m.getUnsigned32(IceAttribute.PRIORITY);
    }

    /**
     * A candidate's priority (RFC 8445 §5.1.2.1): 2^24 × type preference + 2^8 × local preference + (256 −
     * component id).
     *
     * @param typePreference  0..126
     * @param localPreference 0..65535
     * @param componentId     1..256
     */
    public static long of(int typePreference, int localPreference, int componentId) {
        if (typePreference < 0 || typePreference > 126 || localPreference < 0 || localPreference > 0xFFFF
                || componentId < 1 || componentId > 256) {
            throw new IllegalArgumentException("type preference 0..126, local preference 0..65535, component 1..256");
        }
        return ((long) typePreference << 24) + ((long) localPreference << 8) + (256 - componentId);
    }

    @Override
    protected void write(StunEncoder out, long priority) {
        if (priority < 1 || priority > MAX) {
            throw new IllegalArgumentException("PRIORITY must be 1..2^31-1: " + priority);
        }
        out.addUnsigned32(IceAttribute.PRIORITY, priority);
    }
}
