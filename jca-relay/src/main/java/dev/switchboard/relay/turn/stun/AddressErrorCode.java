package dev.switchboard.relay.turn.stun;

import dev.switchboard.relay.stun.AttributeType;
import dev.switchboard.relay.stun.ErrorCode;
import dev.switchboard.relay.stun.StunAddress;
import dev.switchboard.relay.stun.StunEncoder;
import dev.switchboard.relay.stun.StunException;
import dev.switchboard.relay.stun.StunMessage;

/**
 * ADDRESS-ERROR-CODE (RFC 8656 §18.12): why the relayed address of one family of a dual allocation could not be
 * made. Laid out as ERROR-CODE whose first byte is the family: family, reserved, class, number, reason.
 */
public final class AddressErrorCode extends AttributeType {

    public static final AddressErrorCode ATTRIBUTE = new AddressErrorCode();

    private static final StunException BAD_FAMILY =
            StunException.shared("unknown address family", ErrorCode.BAD_REQUEST);

    private AddressErrorCode() {
        super(TurnAttribute.ADDRESS_ERROR_CODE, "ADDRESS-ERROR-CODE");
    }

    /** Appends it with the recommended reason phrase ({@link TurnErrorCode}'s or RFC 8489's). */
    public static StunEncoder add(StunEncoder out, int family, int code) {
        if (family != StunAddress.FAMILY_IPV4 && family != StunAddress.FAMILY_IPV6) {
            throw new IllegalArgumentException("unknown address family: " + family);
        }
        return out.addCodeAndReason(TurnAttribute.ADDRESS_ERROR_CODE, family << 8, code, TurnErrorCode.reasonUtf8(code));
    }

    /** The family of the first ADDRESS-ERROR-CODE, or -1 when absent. */
    public static int family(StunMessage m) throws StunException {
        int i = m.indexOf(TurnAttribute.ADDRESS_ERROR_CODE);
        if (i < 0) {
            return -1;
        }
        ATTRIBUTE.check(m, i);
        return m.byteAt(m.attributeOffset(i)) & 0xFF;
    }

    /** The code (300..699) of the first ADDRESS-ERROR-CODE, or -1 when absent. */
    public static int code(StunMessage m) throws StunException {
        int i = m.indexOf(TurnAttribute.ADDRESS_ERROR_CODE);
        if (i < 0) {
            return -1;
        }
        ATTRIBUTE.check(m, i);
        return m.checkErrorCodeAt(i);
    }

    @Override
    public void check(StunMessage m, int index) throws StunException {
        if (m.attributeLength(index) >= 1) {
            int family = m.byteAt(m.attributeOffset(index)) & 0xFF;
            if (family != StunAddress.FAMILY_IPV4 && family != StunAddress.FAMILY_IPV6) {
                throw BAD_FAMILY;
            }
        }
        m.checkErrorCodeAt(index);
    }
}
