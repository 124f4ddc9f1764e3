package dev.switchboard.relay.turn.stun;

import dev.switchboard.relay.stun.StunException;
import dev.switchboard.relay.stun.StunMessage;
import org.junit.jupiter.api.Test;

import static dev.switchboard.relay.stun.TestMessages.request;
import static dev.switchboard.relay.stun.TestMessages.withRaw;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** RFC 6062 §6.2.1. */
class ConnectionIdTest {

    @Test
    void isThirtyTwoBits() throws Exception {
        StunMessage m = request(e -> e.add(ConnectionId.ATTRIBUTE, 0xDEADBEEFL));
        assertArrayEquals(new byte[]{(byte) 0xDE, (byte) 0xAD, (byte) 0xBE, (byte) 0xEF},
                m.value(TurnAttribute.CONNECTION_ID));
        assertEquals(0xDEADBEEFL, ConnectionId.get(m));
        assertEquals(-1, ConnectionId.get(request(e -> { })));
        TurnStun.REGISTRY.validate(m);
    }

    @Test
    void anotherLengthIs400() throws Exception {
        StunMessage m = withRaw(TurnAttribute.CONNECTION_ID, new byte[8]);
        assertEquals(400, assertThrows(StunException.class, () -> ConnectionId.get(m)).errorCode());
        assertEquals(400, assertThrows(StunException.class, () -> TurnStun.REGISTRY.validate(m)).errorCode());
    }
}
