package dev.switchboard.web.signal.container;

import dev.switchboard.web.signal.FakeTransport;
import dev.switchboard.web.signal.Link;
import dev.switchboard.web.signal.MutableClock;
import dev.switchboard.web.signal.RoomDirectory;
import dev.switchboard.web.signal.SignalingConfig;
import dev.switchboard.web.signal.SignalingCore;
import dev.switchboard.web.signal.state.MemoryStateMap;
import dev.switchboard.web.signal.state.RoomInfo;
import dev.switchboard.web.signal.state.RoomState;
import dev.switchboard.web.signal.state.StateMap;
import dev.switchboard.web.signal.ticket.Tickets;
import dev.switchboard.web.signal.ticket.UsedTickets;
import org.infinispan.commons.CacheException;
import org.infinispan.commons.api.BasicCache;
import org.infinispan.partitionhandling.AvailabilityException;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A join on a node where the clustered {@code used-tickets} cache (DENY_READ_WRITES) refuses the redeem because this
 * node is in a minority partition: Infinispan throws its AvailabilityException, and the client is sent to another
 * node (4503 {@code cluster-degraded}) instead of getting an {@code internal} error on a socket that can do nothing.
 */
class DegradedClusterJoinTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T12:00:00Z"));
    private final Tickets tickets = Tickets.create("unit-test-secret", Duration.ofSeconds(60), clock);

    /** A cache whose every operation but its name fails as a DEGRADED_MODE cache does. */
    @SuppressWarnings("unchecked")
    private static BasicCache<String, String> degraded(Supplier<Throwable> failure) {
        return (BasicCache<String, String>) Proxy.newProxyInstance(DegradedClusterJoinTest.class.getClassLoader(),
                new Class<?>[] {BasicCache.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getName")) {
                        return "used-tickets";
                    }
                    throw failure.get();
                });
    }

    private SignalingCore core(BasicCache<String, String> usedTickets) {
        return core(usedTickets, new MemoryStateMap(clock));
    }

    private SignalingCore core(BasicCache<String, String> usedTickets, StateMap resumeTokens) {
        SignalingConfig config = SignalingConfig.from(Map.<String, String>of()::get);
        RoomState state = new RoomState(new MemoryStateMap(clock), new MemoryStateMap(clock),
                resumeTokens, new MemoryStateMap(clock));
        RoomDirectory rooms = new RoomDirectory(new MemoryStateMap(clock),
                id -> Optional.of(new RoomInfo(id, "Room " + id, "default", "owner", "p2p", 10, 0, false)), clock);
        return new SignalingCore(config, state, rooms, tickets,
                new UsedTickets(new CacheStateMap(usedTickets), clock), clock, "node-a");
    }

    private FakeTransport join(SignalingCore core) {
        FakeTransport t = new FakeTransport();
        Link link = core.open(t);
        core.message(link, "{\"type\":\"join\",\"room\":\"r1\",\"ticket\":\""
                + tickets.issue("r1", "alice", "default").token() + "\"}");
        return t;
    }

    @Test
    void aRedeemRefusedByThePartitionClosesWithClusterDegraded() {
        FakeTransport t = join(core(degraded(() -> new AvailabilityException())));
        assertEquals(4503, t.closeCode, t.sent + " " + t.closeReason);
        assertTrue(t.closeReason.startsWith("cluster-degraded: "), t.closeReason);
        assertTrue(t.sent.isEmpty(), "no internal error before the close: " + t.sent);
    }

    @Test
    void soDoesTheRefusalWrappedByTheImplicitTransaction() {
        FakeTransport t = join(core(degraded(
                () -> new CacheException("Could not commit implicit transaction", new AvailabilityException()))));
        assertEquals(4503, t.closeCode, t.sent + " " + t.closeReason);
    }

    @Test
    void anyOtherCacheFailureStaysAnInternalError() {
        FakeTransport t = join(core(degraded(() -> new CacheException("disk on fire"))));
        assertEquals(0, t.closeCode, t.closeReason);
        assertEquals("internal", t.messages().get(0).getString("code"), t.sent.toString());
    }

    /** Beyond joins: any signaling message whose state is refused by the partition gets an error naming it. */
    @Test
    void aResumeOnADegradedCacheGetsTheClusterDegradedError() {
        BasicCache<String, String> healthy = degraded(() -> new AssertionError("the resume needs no ticket"));
        SignalingCore core = core(healthy, new CacheStateMap(degraded(() -> new AvailabilityException())));
        FakeTransport t = new FakeTransport();
        core.message(core.open(t), "{\"type\":\"resume\",\"token\":\"some-token\"}");
        assertEquals(0, t.closeCode, t.closeReason);
        assertEquals("cluster-degraded", t.messages().get(0).getString("code"), t.sent.toString());
    }
}
