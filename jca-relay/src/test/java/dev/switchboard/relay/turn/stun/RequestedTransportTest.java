package dev.switchboard.relay.turn.stun;

import dev.switchboard.relay.stun.StunClass;
import dev.switchboard.relay.stun.StunEncoder;
import dev.switchboard.relay.stun.StunException;
import dev.switchboard.relay.stun.StunMessage;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static dev.switchboard.relay.stun.TestMessages.request;
import static dev.switchboard.relay.stun.TestMessages.withRaw;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** RFC 8656 §18.7, RFC 6062 §5.1. */
class RequestedTransportTest {

    @Test
    void isTheProtocolThen24ReservedBits() throws Exception {
        StunMessage m = request(e -> e.add(RequestedTransport.ATTRIBUTE, RequestedTransport.UDP));
        assertArrayEquals(new byte[]{17, 0, 0, 0}, m.value(TurnAttribute.REQUESTED_TRANSPORT));
        assertEquals(17, RequestedTransport.get(m));
        assertEquals(6, RequestedTransport.get(request(e -> e.add(RequestedTransport.ATTRIBUTE, RequestedTransport.TCP))));
        assertEquals(-1, RequestedTransport.get(request(e -> { })));
        TurnStun.REGISTRY.validate(m);
    }

    @Test
    void anotherLengthIs400AndTheEncoderRefusesMoreThan8Bits() throws Exception {
        StunMessage m = withRaw(TurnAttribute.REQUESTED_TRANSPORT, new byte[]{17});
        assertEquals(400, assertThrows(StunException.class, () -> RequestedTransport.get(m)).errorCode());
        assertEquals(400, assertThrows(StunException.class, () -> TurnStun.REGISTRY.validate(m)).errorCode());
        StunEncoder e = new StunEncoder().begin(ByteBuffer.allocate(64), 3, StunClass.REQUEST, new byte[12]);
        assertThrows(IllegalArgumentException.class, () -> e.add(RequestedTransport.ATTRIBUTE, 256));
    }
}
