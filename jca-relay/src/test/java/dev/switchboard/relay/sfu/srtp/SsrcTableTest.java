package dev.switchboard.relay.sfu.srtp;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class SsrcTableTest {

    @Test
    void zeroIsAnSsrcLikeAnyOther() {
        SsrcTable t = new SsrcTable();
        assertNull(t.get(0));
        SrtpStream s = new SrtpStream(0);
        t.add(s);
        assertSame(s, t.get(0));
        t.remove(0);
        assertNull(t.get(0));
        assertEquals(0, t.size());
    }

    /** Random adds and removes against a HashMap, growing past several doublings: removal keeps every run whole. */
    @Test
    void agreesWithAHashMapThroughAddsAndRemoves() {
        Random random = new Random(3711);
        SsrcTable t = new SsrcTable();
        Map<Integer, SrtpStream> model = new HashMap<>();
        for (int step = 0; step < 20_000; step++) {
            int ssrc = random.nextInt(300) * 0x01000193; // few keys, spread out, so adds and removes meet
            if (random.nextInt(3) == 0) {
                t.remove(ssrc);
                model.remove(ssrc);
            } else if (!model.containsKey(ssrc)) {
                SrtpStream s = new SrtpStream(ssrc);
                t.add(s);
                model.put(ssrc, s);
            }
            assertEquals(model.size(), t.size());
            int probe = random.nextInt(300) * 0x01000193;
            assertSame(model.get(probe), t.get(probe), "step " + step);
        }
    }
}
