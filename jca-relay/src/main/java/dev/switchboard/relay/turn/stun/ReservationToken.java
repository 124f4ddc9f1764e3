package dev.switchboard.relay.turn.stun;

import dev.switchboard.relay.stun.NumberAttribute;
import dev.switchboard.relay.stun.StunEncoder;
import dev.switchboard.relay.stun.StunException;
import dev.switchboard.relay.stun.StunMessage;

/** RESERVATION-TOKEN (RFC 8656 §18.9): 8 opaque bytes naming a port reserved by an earlier EVEN-PORT Allocate. */
public final class ReservationToken extends NumberAttribute {

    public static final ReservationToken ATTRIBUTE = new ReservationToken();

    private ReservationToken() {
        super(TurnAttribute.RESERVATION_TOKEN, "RESERVATION-TOKEN", 8);
    }

    /** True when the message carries one. */
    public static boolean isPresent(StunMessage m) {
        return m.contains(TurnAttribute.RESERVATION_TOKEN);
    }

    /**
     * The token; check {@link #isPresent} first, as every long is a token.
     *
     * @throws StunException when absent or not 8 bytes
     */
    public static long get(StunMessage m) throws StunException {
        return m.getUnsigned64(TurnAttribute.RESERVATION_TOKEN);
    }

    @Override
    protected void write(StunEncoder out, long token) {
        out.addUnsigned64(TurnAttribute.RESERVATION_TOKEN, token);
    }
}
