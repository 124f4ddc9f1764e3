package dev.switchboard.relay.ice;

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

class PriorityTest {

    @Test
    void roundTripsAs32BitsUnsigned() throws Exception {
        StunMessage m = request(e -> e.add(Priority.ATTRIBUTE, Priority.MAX));
        assertEquals(0x7FFFFFFFL, Priority.get(m));
        assertArrayEquals(new byte[]{0x7F, -1, -1, -1}, m.value(IceAttribute.PRIORITY));
        IceStun.REGISTRY.validate(m);
        // a receiver reads all 32 bits, whatever a sender should have sent
        assertEquals(0xFFFFFFFFL, Priority.get(withRaw(IceAttribute.PRIORITY, new byte[]{-1, -1, -1, -1})));
        assertEquals(-1, Priority.get(request(e -> { })), "absent");
    }

    @Test
    void aValueOfAnotherLengthIs400() throws Exception {
        for (int length : new int[]{0, 3, 5, 8}) {
            StunMessage m = withRaw(IceAttribute.PRIORITY, new byte[length]);
            assertEquals(400, assertThrows(StunException.class, () -> Priority.get(m)).errorCode());
            assertEquals(400, assertThrows(StunException.class, () -> IceStun.REGISTRY.validate(m)).errorCode());
        }
    }

    @Test
    void theEncoderRefusesWhatPriorityCannotBe() {
        StunEncoder e = new StunEncoder().begin(ByteBuffer.allocate(64), 1, StunClass.REQUEST, new byte[12]);
        // RFC 8445 §5.1.2.1: 1..2^31-1
        assertThrows(IllegalArgumentException.class, () -> e.add(Priority.ATTRIBUTE, 0));
        assertThrows(IllegalArgumentException.class, () -> e.add(Priority.ATTRIBUTE, 0x8000_0000L));
    }

    @Test
    void candidatePrioritiesFollowTheFormulaOfRfc8445() {
        // RFC 8445 §5.1.2.1: (2^24)*(type preference) + (2^8)*(local preference) + (256 - component ID)
        assertEquals(2130706431L, Priority.of(Priority.HOST, 65535, 1)); // the familiar host candidate priority
        assertEquals((110L << 24) + (65535L << 8) + 255, Priority.of(Priority.PEER_REFLEXIVE, 65535, 1));
        assertEquals(255, Priority.of(Priority.RELAYED, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> Priority.of(127, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> Priority.of(0, 65536, 1));
        assertThrows(IllegalArgumentException.class, () -> Priority.of(0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> Priority.of(0, 0, 257));
    }
}
