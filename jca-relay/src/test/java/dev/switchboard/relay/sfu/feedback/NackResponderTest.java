package dev.switchboard.relay.sfu.feedback;

import dev.switchboard.relay.media.Packet;
import dev.switchboard.relay.media.PacketPool;
import dev.switchboard.relay.media.RetransmissionCache;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Subscribers' NACKs answered from a real cache and pool (owners tracked, no leaks), once per RTT, within budget. */
class NackResponderTest {

    private static final long MS = 1_000_000L;
    private static final long RTT = 100 * MS;
    private static final int OFFSET = 995; // the subscriber's 5.. is the publisher's 1000..

    private final Object reader = "reader";
    private final PacketPool pool = new PacketPool(1500, 2000, 64, true);
    private final RetransmissionCache cache = new RetransmissionCache(500, 1000 * MS);
    private final List<Integer> resentPublisher = new ArrayList<>();
    private final List<Integer> resentSubscriber = new ArrayList<>();
    private final List<Packet> kept = new ArrayList<>();
    private final Object keeper = "keeper";
    private boolean keep;
    /** Subscriber 5..104 ↔ publisher 1000..1099, as a forwarder that started the subscriber at 5 would map them. */
    private final SequenceMap map = s -> s >= 5 && s <= 104 ? s + OFFSET : -1;
    private final NackResponder responder = new NackResponder(cache, map, (packet, subscriberSequence) -> {
        resentPublisher.add((packet.array()[0] & 0xFF) << 8 | packet.array()[1] & 0xFF);
        resentSubscriber.add(subscriberSequence);
        if (keep) {
            kept.add(packet.retain(keeper));
        }
    });

    NackResponderTest() {
        for (int s = 1000; s < 1100; s++) {
            Packet packet = pool.acquire(reader);
            packet.array()[0] = (byte) (s >> 8);
            packet.array()[1] = (byte) s;
            packet.length(100);
            cache.insert(packet, s, 0);
            packet.release(reader);
        }
    }

    @AfterEach
    void nothingLeaks() {
        for (Packet packet : kept) {
            packet.release(keeper);
        }
        cache.clear();
        pool.assertNoLeaks();
    }

    @Test
    void foundPacketsGoToTheRetransmitterUnderTheSubscribersNumbers() {
        assertEquals(2, responder.onNack(new int[]{10, 11, 200}, 3, 10 * MS, RTT));
        assertEquals(List.of(1005, 1006), resentPublisher);
        assertEquals(List.of(10, 11), resentSubscriber);
        assertEquals(1, responder.unmapped());
        assertEquals(2, responder.resent());
    }

    @Test
    void aRetransmitterMayKeepThePacket() {
        keep = true;
        assertEquals(1, responder.onNack(new int[]{50}, 1, 10 * MS, RTT));
        assertEquals(1, kept.size());
        assertEquals(100, kept.get(0).length(), "still held after the call");
    }

    @Test
    void oncePerRttPerPacket() {
        int[] lost = {20, 21};
        assertEquals(2, responder.onNack(lost, 2, 10 * MS, RTT));
        assertEquals(0, responder.onNack(lost, 2, 60 * MS, RTT), "still in flight");
        assertEquals(2, responder.tooSoon());
        assertEquals(2, responder.onNack(lost, 2, 110 * MS, RTT));
        assertEquals(4, responder.resent());
    }

    @Test
    void notInTheCacheIsAMiss() {
        assertEquals(0, responder.onNack(new int[]{10}, 1, 2000 * MS, RTT), "older than the cache's maximum age");
        assertEquals(1, responder.missed());
    }

    @Test
    void theBudgetLimitsRetransmissions() {
        responder.budget(8000); // a bucket of 250 ms: 2 000 bits, two packets of 100 bytes
        int[] lost = new int[50];
        for (int i = 0; i < lost.length; i++) {
            lost[i] = 5 + i;
        }
        assertEquals(2, responder.onNack(lost, 50, 10 * MS, RTT));
        assertEquals(48, responder.rateLimited());
        assertEquals(0, responder.onNack(new int[]{60}, 1, 10 * MS, RTT));
        assertEquals(1, responder.onNack(new int[]{60}, 1, 110 * MS, RTT), "100 ms refill 800 bits: one packet");
        assertEquals(0, responder.onNack(new int[]{61}, 1, 50 * MS, RTT), "a clock going back refills nothing");
    }

    @Test
    void budgetFromTheStreamRate() {
        assertEquals(250_000, NackResponder.budgetFor(1_000_000));
        assertEquals(NackResponder.MIN_BUDGET_BITS_PER_SECOND, NackResponder.budgetFor(64_000));
    }
}
