package dev.switchboard.relay.ice;

import dev.switchboard.relay.stun.NumberAttribute;
import dev.switchboard.relay.stun.StunEncoder;
import dev.switchboard.relay.stun.StunException;
import dev.switchboard.relay.stun.StunMessage;

/**
 * ICE-CONTROLLED and ICE-CONTROLLING (RFC 8445 §7.1.3, §16.1): the role the sender believes it has, with its
 * 64-bit tie-breaker. One class, two types; {@link RoleConflict} compares them with the receiver's own.
 */
public final class IceRole extends NumberAttribute {

    public static final IceRole CONTROLLED = new IceRole(IceAttribute.ICE_CONTROLLED, "ICE-CONTROLLED");
    public static final IceRole CONTROLLING = new IceRole(IceAttribute.ICE_CONTROLLING, "ICE-CONTROLLING");

    private IceRole(int type, String name) {
        super(type, name, 8);
    }

    /** The role attribute for a sender that is controlling, or controlled. */
    public static IceRole of(boolean controlling) {
        return controlling ? CONTROLLING : CONTROLLED;
    }

    /** True when the message carries this role. */
    public boolean isPresent(StunMessage m) {
        return m.contains(type());
    }

    /**
     * The sender's tie-breaker (an unsigned 64-bit number; compare with {@link Long#compareUnsigned}); check
     * {@link #isPresent} first, as every long is a tie-breaker.
     *
     * @throws StunException when absent or not 8 bytes
     */
    public long tieBreaker(StunMessage m) throws StunException {
        return m.getUnsigned64(type());
    }

    @Override
    protected void write(StunEncoder out, long tieBreaker) {
        out.addUnsigned64(type(), tieBreaker);
    }
}
