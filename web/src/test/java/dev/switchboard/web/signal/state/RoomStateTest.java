package dev.switchboard.web.signal.state;

import dev.switchboard.web.signal.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RoomStateTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-21T12:00:00Z"));
    private final MemoryStateMap members = new MemoryStateMap(clock);
    private final MemoryStateMap pending = new MemoryStateMap(clock);
    private final MemoryStateMap userRooms = new MemoryStateMap(clock);
    private final RoomState state = new RoomState(members, userRooms, new MemoryStateMap(clock), pending);

    private static Member member(String id) {
        return new Member(id, "u" + id, "default", "n1", "c" + id, false, 0, 0, "h" + id);
    }

    @Test
    void concurrentJoinsNeverExceedTheMaximumNorLoseAnyone() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String id = "p" + i;
            results.add(pool.submit(() -> {
                start.await();
                return state.join("room", member(id), 50).isPresent();
            }));
        }
        start.countDown();
        int admitted = 0;
        for (Future<Boolean> f : results) {
            admitted += f.get(30, TimeUnit.SECONDS) ? 1 : 0;
        }
        pool.shutdown();
        assertEquals(50, admitted);
        assertEquals(50, state.members("room").size());
        assertEquals(50, state.members("room").stream().map(Member::id).distinct().count());
    }

    @Test
    void removeRespectsTheConditionAndDropsAnEmptyRoom() {
        state.join("room", member("a"), 10);
        state.join("room", member("b"), 10);
        assertTrue(state.remove("room", "a", m -> m.away()).isEmpty());
        Optional<RoomState.Removed> r = state.remove("room", "a", m -> true);
        assertEquals("a", r.orElseThrow().member().id());
        assertEquals(List.of("b"), r.get().remaining().stream().map(Member::id).toList());
        state.remove("room", "b", m -> true);
        assertFalse(members.keys().contains("room"));
    }

    @Test
    void updateChangesOneMember() {
        state.join("room", member("a"), 10);
        state.join("room", member("b"), 10);
        Optional<Member> away = state.update("room", "b", m -> m.awayFrom(42));
        assertTrue(away.orElseThrow().away());
        assertEquals(42, state.find("room", "b").orElseThrow().since());
        assertFalse(state.find("room", "a").orElseThrow().away());
        assertTrue(state.update("room", "b", m -> null).isEmpty(), "declined");
        assertTrue(state.update("room", "zz", m -> m).isEmpty(), "absent");
    }

    @Test
    void userRoomsAreCountedAndGivenBack() {
        RoomState.Ref r1 = new RoomState.Ref("r1", "p1");
        RoomState.Ref r2 = new RoomState.Ref("r2", "p2");
        assertTrue(state.addUserRoom("default/alice", r1, 2));
        assertTrue(state.addUserRoom("default/alice", r2, 2));
        assertFalse(state.addUserRoom("default/alice", new RoomState.Ref("r3", "p3"), 2));
        state.removeUserRoom("default/alice", r1);
        assertEquals(1, state.userRoomCount("default/alice"));
        state.removeUserRoom("default/alice", r2);
        assertTrue(userRooms.keys().isEmpty());
    }

    @Test
    void keptMessagesAreNumberedFromOneTrimmedByAckAndBounded() {
        for (int i = 0; i < 3; i++) {
            Optional<RoomState.Numbered> n = state.keep("p", seq -> "m" + seq, 3, false);
            assertEquals(i + 1, n.orElseThrow().seq());
            assertEquals("m" + (i + 1), n.get().text(), "the text is made from its number");
        }
        assertTrue(state.keep("p", seq -> "m" + seq, 3, false).isEmpty(), "away: full refuses");
        assertEquals(List.of("m1", "m2", "m3"), state.kept("p").after(0));
        assertEquals(List.of("m3"), state.kept("p").after(2));

        assertTrue(state.acknowledge("p", 2));
        assertEquals(List.of("m3"), state.kept("p").after(0), "acked ones are no longer kept");
        assertTrue(state.acknowledge("p", 1), "an older ack changes nothing and is no error");
        assertFalse(state.acknowledge("p", 4), "beyond the last number handed out");
        assertEquals(List.of("m3"), state.kept("p").after(0));

        assertEquals(4, state.keep("p", seq -> "m" + seq, 3, false).orElseThrow().seq(), "numbers go on after acks");
        state.keep("p", seq -> "m" + seq, 3, false);
        assertEquals(6, state.keep("p", seq -> "m" + seq, 3, true).orElseThrow().seq(), "connected: the oldest goes");
        assertEquals(List.of("m4", "m5", "m6"), state.kept("p").after(0));
    }

    @Test
    void theCounterOutlivesEveryAckAndIsNotBoundByTime() {
        state.keep("p", seq -> "m" + seq, 3, true);
        assertTrue(state.acknowledge("p", 1));
        clock.advance(Duration.ofDays(2));
        assertEquals(2, state.keep("p", seq -> "m" + seq, 3, true).orElseThrow().seq(),
                "a connected participant's counter does not lapse while it is a member");
        state.removePending("p");
        assertEquals(1, state.keep("p", seq -> "m" + seq, 3, true).orElseThrow().seq(), "gone with the participant");
        assertTrue(state.acknowledge("q", 0), "0 acknowledges nothing, even before the first message");
        assertTrue(pending.keys().equals(java.util.Set.of("p")), "an ack writes nothing it need not");
    }

    @Test
    void concurrentKeepersNeverShareANumber() throws Exception {
        java.util.Set<Long> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Thread[] ts = new Thread[4];
        for (int t = 0; t < ts.length; t++) {
            ts[t] = new Thread(() -> {
                for (int i = 0; i < 50; i++) {
                    assertTrue(seen.add(state.keep("p", seq -> "m" + seq, 1000, true).orElseThrow().seq()));
                }
            });
            ts[t].start();
        }
        for (Thread t : ts) {
            t.join(60_000);
        }
        assertEquals(200, seen.size());
        assertEquals(201, state.kept("p").next());
    }

    @Test
    void valuesRoundTripAsJson() {
        Member m = new Member("p1", "al\"ice", "t", "node-1", "c1", true, 5, 4, "hash");
        assertEquals(List.of(m), StateJson.members(StateJson.members(List.of(m))));
        RoomInfo r = new RoomInfo("r", "Name ✓", "t", "o", "sfu", 7, 99, false);
        assertEquals(r, StateJson.room(StateJson.room(r)));
        assertEquals(List.of("a", "{\"x\":1}"), StateJson.strings(StateJson.strings(List.of("a", "{\"x\":1}"))));
    }
}
