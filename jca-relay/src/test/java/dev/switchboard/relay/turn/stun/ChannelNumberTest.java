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

/** RFC 8656 §18.1. */
class ChannelNumberTest {

    @Test
    void isTheNumberThenSixteenReservedBits() throws Exception {
        StunMessage m = request(e -> e.add(ChannelNumber.ATTRIBUTE, 0x4FFF));
        assertArrayEquals(new byte[]{0x4F, -1, 0, 0}, m.value(TurnAttribute.CHANNEL_NUMBER));
        assertEquals(0x4FFF, ChannelNumber.get(m));
        TurnStun.REGISTRY.validate(m);
        assertEquals(-1, ChannelNumber.get(request(e -> { })));
        // the range is ChannelBind's to check (400 there); the codec reads any number
        assertEquals(0x0001, ChannelNumber.get(withRaw(TurnAttribute.CHANNEL_NUMBER, new byte[]{0, 1, 0, 0})));
    }

    @Test
    void anotherLengthIs400AndTheEncoderRefusesMoreThan16Bits() throws Exception {
        StunMessage m = withRaw(TurnAttribute.CHANNEL_NUMBER, new byte[2]);
        assertEquals(400, assertThrows(StunException.class, () -> ChannelNumber.get(m)).errorCode());
        assertEquals(400, assertThrows(StunException.class, () -> TurnStun.REGISTRY.validate(m)).errorCode());
        StunEncoder e = new StunEncoder().begin(ByteBuffer.allocate(64), 9, StunClass.REQUEST, new byte[12]);
        assertThrows(IllegalArgumentException.class, () -> e.add(ChannelNumber.ATTRIBUTE, 0x10000));
        assertThrows(IllegalArgumentException.class, () -> e.add(ChannelNumber.ATTRIBUTE, -1));
    }
}
