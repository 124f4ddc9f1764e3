package dev.switchboard.web.api;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reason of a participant's removal becomes its socket's close reason: text, and short enough for one. */
class RemovalReasonTest {

    @Test
    void fitsACloseReason() {
        assertTrue(RoomResource.validReason(null));
        assertTrue(RoomResource.validReason("r".repeat(100)));
        assertTrue(RoomResource.validReason("é".repeat(61)), "122 bytes");
        // 100 characters but 200 bytes: CloseReason refuses more than 123, and the removal answered 500
        assertFalse(RoomResource.validReason("é".repeat(100)));
        assertFalse(RoomResource.validReason("r".repeat(101)));
    }

    @Test
    void isFreeText() {
        assertFalse(RoomResource.validReason("line\nbreak"));
        assertFalse(RoomResource.validReason("nul\u0000"));
        assertTrue(RoomResource.validReason("spamming the chat"));
    }
}
