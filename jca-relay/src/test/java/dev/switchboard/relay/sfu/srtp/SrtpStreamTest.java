package dev.switchboard.relay.sfu.srtp;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** RFC 3711 §3.3.1 and Appendix A: the index a sequence number most likely has. */
class SrtpStreamTest {

    @Test
    void theFirstPacketStartsRocAtZero() {
        SrtpStream s = new SrtpStream(1);
        assertEquals(65_000, s.estimateIndex(65_000));
    }

    @Test
    void wrappingForwardRaisesTheRoc() {
        SrtpStream s = new SrtpStream(1);
        s.acceptRtp(65_535);
        long next = s.estimateIndex(0);
        assertEquals(1L << 16, next);
        s.acceptRtp(next);
        assertEquals(1, s.roc());
        assertEquals(65_535, s.estimateIndex(65_535), "a late packet from before the wrap keeps ROC 0");
        assertEquals((1L << 16) + 5, s.estimateIndex(5));
    }

    @Test
    void aLatePacketBeforeTheWrapDoesNotLowerTheRoc() {
        SrtpStream s = new SrtpStream(1);
        s.acceptRtp((3L << 16) + 10);
        s.acceptRtp((2L << 16) + 65_530);
        assertEquals(3, s.roc());
        assertEquals((3L << 16) + 11, s.estimateIndex(11));
    }

    @Test
    void upperHalfAndLowerHalfNeighbours() {
        SrtpStream s = new SrtpStream(1);
        s.acceptRtp((7L << 16) + 40_000);
        assertEquals((7L << 16) + 40_000 - 20_000, s.estimateIndex(20_000));
        assertEquals((8L << 16) + 100, s.estimateIndex(100));
        SrtpStream low = new SrtpStream(2);
        low.acceptRtp((7L << 16) + 100);
        assertEquals((6L << 16) + 60_000, low.estimateIndex(60_000));
        assertEquals((7L << 16) + 30_000, low.estimateIndex(30_000));
    }

    @Test
    void beforeTheFirstRolloverThereIsNoRocMinusOne() {
        SrtpStream s = new SrtpStream(1);
        s.acceptRtp(10);
        assertEquals(-1, s.estimateIndex(60_000));
    }
}
