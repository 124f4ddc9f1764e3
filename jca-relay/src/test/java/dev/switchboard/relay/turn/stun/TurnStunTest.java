package dev.switchboard.relay.turn.stun;

import dev.switchboard.relay.stun.StunException;
import dev.switchboard.relay.stun.StunMessage;
import org.junit.jupiter.api.Test;

import static dev.switchboard.relay.stun.TestMessages.withRaw;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The registrations of {@link TurnStun}: names, methods, and the simple types' checks. */
class TurnStunTest {

    @Test
    void registersEveryTurnTypeAndMethodOnTopOfTheCore() {
        assertEquals("XOR-PEER-ADDRESS", TurnStun.REGISTRY.attributeName(TurnAttribute.XOR_PEER_ADDRESS));
        assertEquals("CONNECTION-ID", TurnStun.REGISTRY.attributeName(TurnAttribute.CONNECTION_ID));
        assertEquals("XOR-MAPPED-ADDRESS", TurnStun.REGISTRY.attributeName(0x0020), "the core's stay");
        assertEquals("ConnectionAttempt", TurnMethod.name(TurnMethod.CONNECTION_ATTEMPT));
        assertEquals("Binding", TurnMethod.name(1));
        for (int method = TurnMethod.ALLOCATE; method <= TurnMethod.CONNECTION_ATTEMPT; method++) {
            assertEquals(method != 5, TurnStun.REGISTRY.knowsMethod(method), "0x005 was SharedSecret (RFC 3489)");
        }
    }

    @Test
    void peerAndRelayedAddressesAreCheckedAsAddresses() throws Exception {
        for (int type : new int[]{TurnAttribute.XOR_PEER_ADDRESS, TurnAttribute.XOR_RELAYED_ADDRESS}) {
            StunMessage bad = withRaw(type, new byte[]{0, 3, 0, 1, 1, 2, 3, 4});
            assertEquals(400, assertThrows(StunException.class, () -> TurnStun.REGISTRY.validate(bad)).errorCode());
            TurnStun.REGISTRY.validate(withRaw(type, new byte[]{0, 1, 0, 1, 1, 2, 3, 4}));
        }
    }

    @Test
    void dataIsOpaqueDontFragmentEmptyAndIcmpEightBytes() throws Exception {
        TurnStun.REGISTRY.validate(withRaw(TurnAttribute.DATA, new byte[0]));
        TurnStun.REGISTRY.validate(withRaw(TurnAttribute.DATA, new byte[1001]));
        TurnStun.REGISTRY.validate(withRaw(TurnAttribute.DONT_FRAGMENT, new byte[0]));
        TurnStun.REGISTRY.validate(withRaw(TurnAttribute.ICMP, new byte[8]));
        for (StunMessage bad : new StunMessage[]{withRaw(TurnAttribute.DONT_FRAGMENT, new byte[1]),
                withRaw(TurnAttribute.ICMP, new byte[4])}) {
            assertEquals(400, assertThrows(StunException.class, () -> TurnStun.REGISTRY.validate(bad)).errorCode());
        }
    }
}
