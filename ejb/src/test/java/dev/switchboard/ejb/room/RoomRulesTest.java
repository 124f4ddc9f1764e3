package dev.switchboard.ejb.room;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RoomRulesTest {

    private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");

    @Test
    void acceptsAReasonableRoom() {
        assertDoesNotThrow(() -> RoomRules.check(new NewRoom("Standup", RoomMode.P2P, 4, NOW.plusSeconds(60)), 50, NOW));
        assertDoesNotThrow(() -> RoomRules.check(new NewRoom("x", RoomMode.SFU, 50, null), 50, NOW));
    }

    @Test
    void refusesBadNames() {
        for (String name : new String[]{null, "", "   ", "n".repeat(129), "tab\there", "half \uD800", "nul\u0000"}) {
            assertThrows(InvalidRoomException.class, () -> RoomRules.check(new NewRoom(name, RoomMode.P2P, 4, null), 50, NOW), name);
        }
    }

    @Test
    void participantsBetweenTwoAndTheCap() {
        assertThrows(InvalidRoomException.class, () -> RoomRules.check(new NewRoom("a", RoomMode.P2P, 1, null), 50, NOW));
        assertThrows(InvalidRoomException.class, () -> RoomRules.check(new NewRoom("a", RoomMode.P2P, 51, null), 50, NOW));
        assertDoesNotThrow(() -> RoomRules.check(new NewRoom("a", RoomMode.P2P, 2, null), 50, NOW));
    }

    @Test
    void expiryMustBeInTheFuture() {
        assertThrows(InvalidRoomException.class, () -> RoomRules.check(new NewRoom("a", RoomMode.P2P, 2, NOW), 50, NOW));
        assertThrows(InvalidRoomException.class, () -> RoomRules.check(new NewRoom("a", null, 2, null), 50, NOW));
    }

    @Test
    void expiryWithinTheApisYears() {
        // year +999999999 was stored and then overflowed the signaling state's epoch milliseconds (issue #10)
        assertThrows(InvalidRoomException.class, () -> RoomRules.check(new NewRoom("a", RoomMode.P2P, 2,
                Instant.parse("+999999999-12-31T23:59:59Z")), 50, NOW));
        assertThrows(InvalidRoomException.class, () -> RoomRules.check(new NewRoom("a", RoomMode.P2P, 2,
                Instant.parse("+10000-01-01T00:00:00Z")), 50, NOW));
        assertDoesNotThrow(() -> RoomRules.check(new NewRoom("a", RoomMode.P2P, 2,
                Instant.parse("9999-12-31T23:59:59Z")), 50, NOW));
    }

    @Test
    void modesParseByWireName() {
        assertEquals(RoomMode.P2P, RoomMode.parse("p2p"));
        assertEquals(RoomMode.SFU, RoomMode.parse("SFU"));
        assertEquals("sfu", RoomMode.SFU.wireName());
        assertThrows(InvalidRoomException.class, () -> RoomMode.parse("mesh"));
        assertThrows(InvalidRoomException.class, () -> RoomMode.parse(null));
    }

    @Test
    void idsAreUniqueAndRecognised() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String id = RoomRules.newId();
            assertTrue(RoomRules.looksLikeId(id), id);
            ids.add(id);
        }
        assertEquals(1000, ids.size());
        assertFalse(RoomRules.looksLikeId("ABCDEFGHIJKLMNOP"));
        assertFalse(RoomRules.looksLikeId("short"));
        assertFalse(RoomRules.looksLikeId(null));
        assertFalse(RoomRules.looksLikeId("abcdefghijklmno/"));
    }
}
