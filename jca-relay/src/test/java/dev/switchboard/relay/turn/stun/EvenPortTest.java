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

/** RFC 8656 §18.6. */
class EvenPortTest {

    @Test
    void isOneByteWhoseTopBitReservesTheNextPort() throws Exception {
        StunMessage reserve = request(e -> e.add(EvenPort.ATTRIBUTE, 1));
        assertArrayEquals(new byte[]{(byte) 0x80}, reserve.value(TurnAttribute.EVEN_PORT));
        assertEquals(8 + 20, reserve.size(), "one byte, three of padding");
        assertEquals(1, EvenPort.get(reserve));
        assertEquals(0, EvenPort.get(request(e -> e.add(EvenPort.ATTRIBUTE, 0))));
        assertEquals(0, EvenPort.get(withRaw(TurnAttribute.EVEN_PORT, new byte[]{0x7F})), "the other bits are RFFU");
        assertEquals(-1, EvenPort.get(request(e -> { })));
        TurnStun.REGISTRY.validate(reserve);
    }

    @Test
    void anotherLengthIs400AndTheEncoderTakesOnlyTheBit() throws Exception {
        StunMessage m = withRaw(TurnAttribute.EVEN_PORT, new byte[4]);
        assertEquals(400, assertThrows(StunException.class, () -> EvenPort.get(m)).errorCode());
        assertEquals(400, assertThrows(StunException.class, () -> TurnStun.REGISTRY.validate(m)).errorCode());
        StunEncoder e = new StunEncoder().begin(ByteBuffer.allocate(64), 3, StunClass.REQUEST, new byte[12]);
        assertThrows(IllegalArgumentException.class, () -> e.add(EvenPort.ATTRIBUTE, 2));
    }
}
