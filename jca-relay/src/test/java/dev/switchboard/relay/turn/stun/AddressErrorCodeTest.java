package dev.switchboard.relay.turn.stun;

import dev.switchboard.relay.stun.StunAddress;
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

/** RFC 8656 §18.12. */
class AddressErrorCodeTest {

    @Test
    void isTheFamilyThenAnErrorCodeAndItsReason() throws Exception {
        StunMessage m = request(e -> AddressErrorCode.add(e, StunAddress.FAMILY_IPV6, 440));
        byte[] v = m.value(TurnAttribute.ADDRESS_ERROR_CODE);
        assertArrayEquals(new byte[]{2, 0, 4, 40}, java.util.Arrays.copyOf(v, 4));
        assertEquals("Address Family not Supported", new String(v, 4, v.length - 4,
                java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(StunAddress.FAMILY_IPV6, AddressErrorCode.family(m));
        assertEquals(440, AddressErrorCode.code(m));
        TurnStun.REGISTRY.validate(m);
        assertEquals(-1, AddressErrorCode.code(request(e -> { })));
        assertEquals(-1, m.getErrorCode(), "not an ERROR-CODE");
    }

    @Test
    void aBadFamilyCodeOrLengthIs400() throws Exception {
        for (byte[] bad : new byte[][]{{3, 0, 4, 40}, {1, 0, 7, 0}, {1, 0, 4, 100}, {1, 0, 4}}) {
            StunMessage m = withRaw(TurnAttribute.ADDRESS_ERROR_CODE, bad);
            assertEquals(400, assertThrows(StunException.class, () -> AddressErrorCode.code(m)).errorCode());
            assertEquals(400, assertThrows(StunException.class, () -> TurnStun.REGISTRY.validate(m)).errorCode());
        }
        StunEncoder e = new StunEncoder().begin(ByteBuffer.allocate(64), 3, StunClass.REQUEST, new byte[12]);
        assertThrows(IllegalArgumentException.class, () -> AddressErrorCode.add(e, 3, 440));
        assertThrows(IllegalArgumentException.class, () -> AddressErrorCode.add(e, 1, 200));
    }
}
