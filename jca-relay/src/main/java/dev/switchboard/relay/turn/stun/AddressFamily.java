package dev.switchboard.relay.turn.stun;

import dev.switchboard.relay.stun.ErrorCode;
import dev.switchboard.relay.stun.NumberAttribute;
import dev.switchboard.relay.stun.StunAddress;
import dev.switchboard.relay.stun.StunEncoder;
import dev.switchboard.relay.stun.StunException;
import dev.switchboard.relay.stun.StunMessage;

/**
 * REQUESTED-ADDRESS-FAMILY and ADDITIONAL-ADDRESS-FAMILY (RFC 8656 §18.8, §18.11): an address family
 * ({@link StunAddress#FAMILY_IPV4} or {@link StunAddress#FAMILY_IPV6}) and 24 reserved bits. One class, two types.
 */
public final class AddressFamily extends NumberAttribute {

    public static final AddressFamily REQUESTED =
            new AddressFamily(TurnAttribute.REQUESTED_ADDRESS_FAMILY, "REQUESTED-ADDRESS-FAMILY");
    public static final AddressFamily ADDITIONAL =
            new AddressFamily(TurnAttribute.ADDITIONAL_ADDRESS_FAMILY, "ADDITIONAL-ADDRESS-FAMILY");

    private static final StunException BAD_FAMILY =
            StunException.shared("unknown address family", ErrorCode.BAD_REQUEST);

    private AddressFamily(int type, String name) {
        super(type, name, 4);
    }

    /**
     * The family, or -1 when absent.
     *
     * @throws StunException ({@link ErrorCode#BAD_REQUEST}) when not 4 bytes or not a known family
     */
    public int get(StunMessage m) throws StunException {
        long v = m.getUnsigned32(type());
        if (v < 0) {
            return -1;
        }
        int family = (int) (v >>> 24);
        if (family != StunAddress.FAMILY_IPV4 && family != StunAddress.FAMILY_IPV6) {
            throw BAD_FAMILY;
        }
        return family;
    }

    @Override
    public void check(StunMessage m, int index) throws StunException {
        super.check(m, index);
        int family = m.byteAt(m.attributeOffset(index)) & 0xFF;
        if (family != StunAddress.FAMILY_IPV4 && family != StunAddress.FAMILY_IPV6) {
            throw BAD_FAMILY;
        }
    }

    @Override
    protected void write(StunEncoder out, long family) {
        if (family != StunAddress.FAMILY_IPV4 && family != StunAddress.FAMILY_IPV6) {
            throw new IllegalArgumentException("unknown address family: " + family);
        }
        out.addUnsigned32(type(), family << 24);
    }
}
