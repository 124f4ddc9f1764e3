package dev.switchboard.relay.stun;

import org.junit.jupiter.api.Test;

import static dev.switchboard.relay.stun.TestMessages.request;
import static dev.switchboard.relay.stun.TestMessages.withRaw;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The extension point: registering attribute types and methods, looking them up, validating by them. */
class StunRegistryTest {

    /** A made-up comprehension-required type of two bytes, as another protocol would declare it. */
    private static final AttributeType TWO_BYTES = AttributeType.fixedLength(0x7F10, "TWO-BYTES", 2);

    @Test
    void theCoreKnowsRfc8489sTypesAndBindingOnly() {
        int[] rfc8489 = {0x0001, 0x0006, 0x0008, 0x0009, 0x000A, 0x0014, 0x0015, 0x001C, 0x001D, 0x001E, 0x0020,
                0x8002, 0x8003, 0x8022, 0x8023, 0x8028}; // RFC 8489 §18.3.1, §18.3.2
        for (int type : rfc8489) {
            assertTrue(StunRegistry.RFC_8489.knows(type), StunAttribute.name(type));
            assertEquals(type, StunRegistry.RFC_8489.attribute(type).type());
        }
        AttributeSet types = StunRegistry.RFC_8489.types();
        for (int type = 0; type <= 0xFFFF; type++) {
            assertEquals(StunRegistry.RFC_8489.knows(type), types.contains(type));
        }
        int known = 0;
        for (int type = 0; type <= 0xFFFF; type++) {
            known += StunRegistry.RFC_8489.knows(type) ? 1 : 0;
        }
        assertEquals(rfc8489.length, known, "nothing else");
        assertTrue(StunRegistry.RFC_8489.knowsMethod(StunMethod.BINDING));
        for (int method = 2; method <= StunMethod.MAX; method++) {
            assertFalse(StunRegistry.RFC_8489.knowsMethod(method), StunMethod.name(method));
        }
    }

    @Test
    void registeringMakesANewRegistryAndLeavesTheOldOneAlone() {
        StunRegistry extended = StunRegistry.RFC_8489.with(TWO_BYTES).withMethod(0x07F, "Made-up");
        assertSame(TWO_BYTES, extended.attribute(0x7F10));
        assertEquals("TWO-BYTES", extended.attributeName(0x7F10));
        assertEquals("Made-up", extended.methodName(0x07F));
        assertTrue(extended.knows(StunAttribute.USERNAME), "keeps the base's");
        assertNull(StunRegistry.RFC_8489.attribute(0x7F10));
        assertEquals("0x7f10", StunRegistry.RFC_8489.attributeName(0x7F10));
        assertEquals("0x07f", StunRegistry.RFC_8489.methodName(0x07F));
    }

    @Test
    void aTypeOrMethodClaimedTwiceIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> StunRegistry.RFC_8489.with(
                AttributeType.opaque(StunAttribute.SOFTWARE, "MY-SOFTWARE")));
        assertThrows(IllegalArgumentException.class, () -> StunRegistry.RFC_8489.with(TWO_BYTES, TWO_BYTES));
        assertThrows(IllegalArgumentException.class, () -> StunRegistry.RFC_8489.withMethod(1, "Binding again"));
        assertThrows(IllegalArgumentException.class, () -> StunRegistry.RFC_8489.withMethod(0x1000, "too wide"));
        assertThrows(IllegalArgumentException.class, () -> AttributeType.opaque(0x10000, "too wide"));
    }

    @Test
    void validationChecksRegisteredTypesOnly() throws Exception {
        StunMessage m = withRaw(0x7F10, new byte[3]);
        StunRegistry.RFC_8489.validate(m); // unknown to the core: its business is a 420, not a 400
        StunException e = assertThrows(StunException.class, () -> StunRegistry.RFC_8489.with(TWO_BYTES).validate(m));
        assertEquals(400, e.errorCode());
        StunRegistry.RFC_8489.with(TWO_BYTES).validate(withRaw(0x7F10, new byte[2]));
    }

    @Test
    void theCoreChecksItsOwnLayouts() throws Exception {
        StunMessage[] bad = {
                withRaw(StunAttribute.XOR_MAPPED_ADDRESS, new byte[]{0, 3, 0, 1, 1, 2, 3, 4}),
                withRaw(StunAttribute.SOFTWARE, new byte[]{(byte) 0xC0, (byte) 0x80}),
                withRaw(StunAttribute.ERROR_CODE, new byte[]{0, 0, 7, 0}),
                withRaw(StunAttribute.UNKNOWN_ATTRIBUTES, new byte[]{0, 1, 0}),
                withRaw(StunAttribute.USERHASH, new byte[31]),
                withRaw(StunAttribute.PASSWORD_ALGORITHM, new byte[]{0, 2, 0, 9}),
                withRaw(StunAttribute.ALTERNATE_DOMAIN, new byte[]{'a', ' ', 'b'}),
        };
        for (StunMessage m : bad) {
            assertEquals(400, assertThrows(StunException.class, () -> StunRegistry.RFC_8489.validate(m),
                    m.toString()).errorCode());
        }
    }

    @Test
    void describeUsesTheRegisteredNames() throws Exception {
        StunMessage m = request(e -> e.add(0x7F10, new byte[2]).addText(StunAttribute.SOFTWARE, "x"));
        assertEquals("StunMessage(Binding REQUEST, 36 bytes: 0x7f10/2, SOFTWARE/1)", m.toString());
        assertEquals("StunMessage(Binding REQUEST, 36 bytes: TWO-BYTES/2, SOFTWARE/1)",
                StunRegistry.RFC_8489.with(TWO_BYTES).describe(m));
    }
}
