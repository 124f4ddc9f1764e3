package dev.switchboard.relay.ice;

import dev.switchboard.relay.stun.AttributeType;
import dev.switchboard.relay.stun.StunEncoder;
import dev.switchboard.relay.stun.StunException;
import dev.switchboard.relay.stun.StunMessage;

/**
 * USE-CANDIDATE (RFC 8445 §7.1.2, §16.1): an empty flag by which the controlling agent nominates the pair a check
 * was sent on. A lite agent, always controlled, follows it (§8.2.1).
 */
public final class UseCandidate extends AttributeType {

    public static final UseCandidate ATTRIBUTE = new UseCandidate();

    private UseCandidate() {
        super(IceAttribute.USE_CANDIDATE, "USE-CANDIDATE");
    }

    /**
     * True when the message nominates.
     *
     * @throws StunException ({@code BAD_REQUEST}) when the attribute has a value
     */
    public static boolean isPresent(StunMessage m) throws StunException {
        int i = m.indexOf(IceAttribute.USE_CANDIDATE);
        if (i < 0) {
            return false;
        }
        m.checkLength(i, 0);
        return true;
    }

    /** Appends it. */
    public static StunEncoder add(StunEncoder out) {
        return out.addEmpty(IceAttribute.USE_CANDIDATE);
    }

    @Override
    public void check(StunMessage m, int index) throws StunException {
        m.checkLength(index, 0);
    }
}
