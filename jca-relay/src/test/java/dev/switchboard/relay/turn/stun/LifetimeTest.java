package dev.switchboard.relay.turn.stun;

import dev.switchboard.relay.stun.StunClass;
import dev.switchboard.relay.stun.StunEncoder;
import dev.switchboard.relay.stun.StunException;
import dev.switchboard.relay.stun.StunMessage;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static dev.switchboard.relay.stun.TestMessages.request;
import static dev.switchboard.relay.stun.TestMessages.withRaw;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** RFC 8656 §18.2. */
class LifetimeTest {

    @Test
    void isSecondsAs32BitsUnsigned() throws Exception {
        StunMessage m = request(e -> e.add(Lifetime.ATTRIBUTE, 0xFFFFFFFFL));
        assertEquals(0xFFFFFFFFL, Lifetime.get(m));
        assertEquals(0, Lifetime.get(request(e -> e.add(Lifetime.ATTRIBUTE, 0))), "0 deletes the allocation");
        assertEquals(-1, Lifetime.get(request(e -> { })));
        TurnStun.REGISTRY.validate(m);
    }

    @Test
    void anotherLengthIs400AndTheEncoderRefusesWhatDoesNotFit() throws Exception {
        StunMessage m = withRaw(TurnAttribute.LIFETIME, new byte[3]);
        assertEquals(400, assertThrows(StunException.class, () -> Lifetime.get(m)).errorCode());
        assertEquals(400, assertThrows(StunException.class, () -> TurnStun.REGISTRY.validate(m)).errorCode());
        StunEncoder e = new StunEncoder().begin(ByteBuffer.allocate(64), 4, StunClass.REQUEST, new byte[12]);
        assertThrows(IllegalArgumentException.class, () -> e.add(Lifetime.ATTRIBUTE, 0x1_0000_0000L));
        assertThrows(IllegalArgumentException.class, () -> e.add(Lifetime.ATTRIBUTE, -1));
    }
}
