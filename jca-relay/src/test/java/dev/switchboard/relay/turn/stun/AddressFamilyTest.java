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

/** RFC 8656 §18.8, §18.11. */
class AddressFamilyTest {

    @Test
    void isTheFamilyThen24ReservedBitsUnderEitherType() throws Exception {
        StunMessage m = request(e -> e.add(AddressFamily.REQUESTED, StunAddress.FAMILY_IPV6)
                .add(AddressFamily.ADDITIONAL, StunAddress.FAMILY_IPV4));
        assertArrayEquals(new byte[]{2, 0, 0, 0}, m.value(TurnAttribute.REQUESTED_ADDRESS_FAMILY));
        assertEquals(StunAddress.FAMILY_IPV6, AddressFamily.REQUESTED.get(m));
        assertEquals(StunAddress.FAMILY_IPV4, AddressFamily.ADDITIONAL.get(m));
        TurnStun.REGISTRY.validate(m);
        assertEquals(-1, AddressFamily.ADDITIONAL.get(request(e -> { })));
    }

    @Test
    void anUnknownFamilyOrAnotherLengthIs400() throws Exception {
        for (byte[] bad : new byte[][]{{3, 0, 0, 0}, {0, 0, 0, 0}, {1, 0}}) {
            for (AddressFamily a : new AddressFamily[]{AddressFamily.REQUESTED, AddressFamily.ADDITIONAL}) {
                StunMessage m = withRaw(a.type(), bad);
                assertEquals(400, assertThrows(StunException.class, () -> a.get(m)).errorCode());
                assertEquals(400, assertThrows(StunException.class, () -> TurnStun.REGISTRY.validate(m)).errorCode());
            }
        }
        StunEncoder e = new StunEncoder().begin(ByteBuffer.allocate(64), 3, StunClass.REQUEST, new byte[12]);
        assertThrows(IllegalArgumentException.class, () -> e.add(AddressFamily.REQUESTED, 3));
    }
}
