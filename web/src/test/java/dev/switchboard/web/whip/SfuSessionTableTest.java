package dev.switchboard.web.whip;

import dev.switchboard.connector.sfu.SfuRole;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SfuSessionTableTest {

    private static final SfuSessionTable.Session WHIP_A = new SfuSessionTable.Session("roomA", SfuRole.PUBLISHER, "alice", "u1");

    @Test
    void aSessionIsFoundOnlyInItsRoomAndEndpoint() {
        SfuSessionTable t = new SfuSessionTable();
        t.put("s1", WHIP_A);
        assertEquals(WHIP_A, t.find("s1", "roomA", SfuRole.PUBLISHER).orElseThrow());
        assertTrue(t.find("s1", "roomB", SfuRole.PUBLISHER).isEmpty());
        assertTrue(t.find("s1", "roomA", SfuRole.VIEWER).isEmpty());
        assertTrue(t.find("s2", "roomA", SfuRole.PUBLISHER).isEmpty());
        assertTrue(t.knownElsewhere("s1", "roomB", SfuRole.PUBLISHER));
        assertTrue(t.knownElsewhere("s1", "roomA", SfuRole.VIEWER));
        assertFalse(t.knownElsewhere("s1", "roomA", SfuRole.PUBLISHER));
        assertFalse(t.knownElsewhere("unknown", "roomA", SfuRole.PUBLISHER));
        t.remove("s1");
        assertTrue(t.find("s1", "roomA", SfuRole.PUBLISHER).isEmpty());
        assertEquals(0, t.size());
    }

    @Test
    void pastItsBoundTheOldestIsForgotten() {
        SfuSessionTable t = new SfuSessionTable(3);
        for (int i = 0; i < 10; i++) {
            t.put("s" + i, WHIP_A);
        }
        assertEquals(3, t.size());
        assertTrue(t.find("s6", "roomA", SfuRole.PUBLISHER).isEmpty());
        for (int i = 7; i < 10; i++) {
            assertTrue(t.find("s" + i, "roomA", SfuRole.PUBLISHER).isPresent(), "s" + i);
        }
    }
}
