package dev.switchboard.ejb.usage;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LostAllocationsTest {

    @Test
    void theScanPeriodDefaultsAndIsBounded() {
        assertEquals(30, LostAllocations.scanSeconds(null));
        assertEquals(30, LostAllocations.scanSeconds(" "));
        assertEquals(2, LostAllocations.scanSeconds("2"));
        assertEquals(3600, LostAllocations.scanSeconds("3600"));
        for (String bad : new String[] {"0", "3601", "-1", "1.5", "soon"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> LostAllocations.scanSeconds(bad));
            assertEquals(true, e.getMessage().contains("switchboard.usage.lost-node-scan"), e.getMessage());
        }
    }
}
