package dev.switchboard.relay.sfu.feedback;

import dev.switchboard.relay.sfu.rtcp.Nack;
import dev.switchboard.relay.sfu.rtcp.RtcpCompound;
import dev.switchboard.relay.sfu.rtcp.RtcpHeader;
import dev.switchboard.relay.sfu.rtcp.RtcpProblem;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Gaps become NACKs after the reordering delay, retried each RTT a bounded number of times, cancelled by arrival. */
class NackGeneratorTest {

    private static final long MS = 1_000_000L;
    private static final long RTT = 100 * MS;
    private static final int SENDER = 1;
    private static final int MEDIA = 0xBEEF;

    private final NackGenerator nacks = new NackGenerator(1000, 10 * MS, 3);
    private final ByteBuffer out = ByteBuffer.allocate(1500);

    private void receive(long now, int... sequences) {
        for (int s : sequences) {
            nacks.onPacket(s, now);
        }
    }

    /** The sequence numbers NACKed at {@code now}, as a subscriber's SFU would read them. */
    private List<Integer> nackedAt(long now) {
        out.clear();
        int written = nacks.write(out, SENDER, MEDIA, now, RTT);
        out.flip();
        List<Integer> lost = new ArrayList<>();
        if (written == 0) {
            assertEquals(0, out.limit(), "nothing written with a count of 0");
            return lost;
        }
        RtcpCompound compound = new RtcpCompound();
        assertEquals(RtcpProblem.NONE, compound.wrap(out));
        assertTrue(compound.next());
        assertTrue(compound.is(RtcpHeader.RTPFB, RtcpHeader.FMT_NACK));
        assertEquals(SENDER, RtcpHeader.senderSsrc(out, compound.offset()));
        assertEquals(MEDIA, RtcpHeader.mediaSsrc(out, compound.offset()));
        int[] into = new int[2000];
        int n = Nack.lostSequenceNumbers(out, compound.offset(), compound.contentSize(), into);
        for (int i = 0; i < n; i++) {
            lost.add(into[i]);
        }
        assertEquals(written, n);
        return lost;
    }

    @Test
    void aGapIsNackedAfterTheDelayThenEachRttUpToTheLimit() {
        receive(0, 0, 1, 2, 5);
        assertEquals(List.of(), nackedAt(9 * MS), "reordering allowance");
        assertEquals(List.of(3, 4), nackedAt(10 * MS));
        assertEquals(List.of(), nackedAt(60 * MS), "retried only after an RTT");
        assertEquals(List.of(3, 4), nackedAt(110 * MS));
        assertEquals(List.of(3, 4), nackedAt(210 * MS));
        assertEquals(List.of(), nackedAt(310 * MS), "3 tries, then given up");
        assertEquals(2, nacks.givenUp());
        assertEquals(6, nacks.nacked());
        assertEquals(0, nacks.tracked());
    }

    @Test
    void anArrivalCancelsItsNack() {
        receive(0, 10, 14);
        receive(5 * MS, 12); // reordered: never NACKed
        assertEquals(List.of(11, 13), nackedAt(10 * MS));
        receive(20 * MS, 11); // retransmitted (an RTX's original sequence number)
        assertEquals(List.of(13), nackedAt(110 * MS));
        receive(120 * MS, 13);
        assertEquals(List.of(), nackedAt(1000 * MS));
        assertEquals(3, nacks.recovered());
        assertEquals(0, nacks.tracked());
        receive(130 * MS, 13); // a duplicate changes nothing
        assertEquals(3, nacks.recovered());
    }

    @Test
    void holesAcrossTheWrapComeOutInOrder() {
        receive(0, 65533, 1);
        assertEquals(List.of(65534, 65535, 0), nackedAt(10 * MS));
    }

    @Test
    void aHugeJumpResetsInsteadOfTrackingThousandsOfHoles() {
        receive(0, 100, 101, 103);
        receive(0, 101 + 30_000);
        assertEquals(1, nacks.resets());
        assertEquals(0, nacks.tracked());
        receive(0, 101 + 30_002);
        assertEquals(List.of(101 + 30_001), nackedAt(10 * MS));
    }

    @Test
    void twoPacketsFarBehindAreARestart() {
        receive(0, 20_000, 20_002);
        receive(0, 5); // a stray: ignored
        assertEquals(0, nacks.resets());
        receive(0, 7, 8); // two in a row: the source restarted there
        assertEquals(1, nacks.resets());
        receive(0, 10);
        assertEquals(List.of(9), nackedAt(10 * MS));
    }

    @Test
    void atMostCapacityHolesTheOldestDropped() {
        receive(0, 0, 600, 1200); // 1 198 holes for 1 000 places
        assertEquals(1000, nacks.tracked());
        assertEquals(198, nacks.dropped());
        List<Integer> lost = nackedAt(10 * MS);
        assertEquals(1000, lost.size());
        assertEquals(199, lost.get(0));
        assertEquals(1199, lost.get(999));
    }

    @Test
    void aSmallBufferTakesTheFirstPairsAndTheRestFollow() {
        receive(0, 0);
        for (int s = 2; s <= 100; s += 2) {
            receive(0, s); // every odd one lost: 9 per pair (PID + 8 in its 16-bit mask)
        }
        out.clear();
        out.limit(RtcpHeader.FEEDBACK_HEADER_LENGTH + 2 * Nack.PAIR_LENGTH);
        assertEquals(18, nacks.write(out, SENDER, MEDIA, 10 * MS, RTT));
        assertEquals(32, nackedAt(10 * MS).size(), "the other 32 holes, while the first wait an RTT");
    }

    @Test
    void aRandomFloodStaysBounded() {
        SplittableRandom random = new SplittableRandom(11);
        long now = 0;
        for (int i = 0; i < 200_000; i++) {
            nacks.onPacket(random.nextInt(0x10000), now);
            now += random.nextLong(-MS, 2 * MS);
            if (i % 20 == 0) {
                out.clear();
                nacks.write(out, SENDER, MEDIA, now, RTT);
            }
            assertTrue(nacks.tracked() <= 1000);
        }
    }
}
