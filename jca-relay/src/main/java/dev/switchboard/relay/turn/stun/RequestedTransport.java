package dev.switchboard.relay.turn.stun;

import dev.switchboard.relay.stun.NumberAttribute;
import dev.switchboard.relay.stun.StunEncoder;
import dev.switchboard.relay.stun.StunException;
import dev.switchboard.relay.stun.StunMessage;

/** REQUESTED-TRANSPORT (RFC 8656 §18.7): an IP protocol number (17 UDP; 6 TCP, RFC 6062) and 24 reserved bits. */
public final class RequestedTransport extends NumberAttribute {

    public static final int UDP = 17;
    public static final int TCP = 6;

    public static final RequestedTransport ATTRIBUTE = new RequestedTransport();

    private RequestedTransport() {
        super(TurnAttribute.REQUESTED_TRANSPORT, "REQUESTED-TRANSPORT", 4);
    }

    /** The protocol number, or -1 when absent. */
    public static int get(StunMessage m) throws StunException {
        long v = m.getUnsigned32(TurnAttribute.REQUESTED_TRANSPORT);
        return v < 0 ? -1 : (int) (v >>> 24);
    }

    @Override
    protected void write(StunEncoder out, long protocol) {
        if (protocol < 0 || protocol > 0xFF) {
            throw new IllegalArgumentException("protocol must be 0..255: " + protocol);
        }
        out.addUnsigned32(TurnAttribute.REQUESTED_TRANSPORT, protocol << 24);
    }
}
