package dev.switchboard.relay.turn.stun;

import dev.switchboard.relay.stun.NumberAttribute;
import dev.switchboard.relay.stun.StunEncoder;
import dev.switchboard.relay.stun.StunException;
import dev.switchboard.relay.stun.StunMessage;

/** CONNECTION-ID (RFC 6062 §6.2.1): 32 bits naming a TCP connection to a peer, unique within an allocation. */
public final class ConnectionId extends NumberAttribute {

    public static final ConnectionId ATTRIBUTE = new ConnectionId();

    private ConnectionId() {
        super(TurnAttribute.CONNECTION_ID, "CONNECTION-ID", 4);
    }

    /** The id, or -1 when absent. */
    public static long get(StunMessage m) throws StunException {
        return m.getUnsigned32(TurnAttribute.CONNECTION_ID);
    }

    @Override
    protected void write(StunEncoder out, long id) {
        out.addUnsigned32(TurnAttribute.CONNECTION_ID, id);
    }
}
