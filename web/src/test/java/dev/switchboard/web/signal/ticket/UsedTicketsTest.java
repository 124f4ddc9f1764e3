package dev.switchboard.web.signal.ticket;

import dev.switchboard.web.signal.MutableClock;
import dev.switchboard.web.signal.protocol.CloseCode;
import dev.switchboard.web.signal.state.MemoryStateMap;
import dev.switchboard.web.signal.state.StateMap;
import dev.switchboard.web.signal.state.StateUnavailableException;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UsedTicketsTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-21T12:00:00Z"));
    private final Tickets tickets = Tickets.create("secret", Duration.ofSeconds(60), clock);
    private final MemoryStateMap cache = new MemoryStateMap(clock);
    private final UsedTickets used = new UsedTickets(cache, clock);

    @Test
    void aTicketAdmitsOnceOthersStillAdmit() throws Exception {
        Tickets.Claims first = tickets.verify(tickets.issue("room1", "alice", "acme").token(), "room1");
        used.redeem(first);
        TicketException e = assertThrows(TicketException.class, () -> used.redeem(first));
        assertEquals(CloseCode.TICKET_USED, e.closeCode());
        assertEquals(4405, e.closeCode().code());
        used.redeem(tickets.verify(tickets.issue("room1", "alice", "acme").token(), "room1"));
        assertEquals("room1", cache.get(first.id()), "the cache says which room the ticket admitted to");
    }

    @Test
    void aStateThatMayNotDecideSendsTheClientToAnotherNodeWithTheTicketUnspent() throws Exception {
        Tickets.Claims c = tickets.verify(tickets.issue("room1", "alice", "acme").token(), "room1");
        StateMap cutOff = (StateMap) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {StateMap.class}, (proxy, method, args) -> {
                    throw new StateUnavailableException("used-tickets is not available", null);
                });
        TicketException e = assertThrows(TicketException.class, () -> new UsedTickets(cutOff, clock).redeem(c));
        assertEquals(CloseCode.CLUSTER_DEGRADED, e.closeCode());
        used.redeem(c); // a node whose partition may decide still takes it
    }

    @Test
    void theIdIsKeptExactlyAsLongAsTheTicketCouldStillVerify() throws Exception {
        String token = tickets.issue("room1", "alice", "acme").token();
        Tickets.Claims c = tickets.verify(token, "room1");
        clock.advance(Duration.ofSeconds(20));
        used.redeem(c);
        // exp (60 s) + skew (5 s) after issue: still refused as used at 64.9 s, and verify() refuses it from 65 s on
        clock.advance(Duration.ofMillis(44_900));
        assertThrows(TicketException.class, () -> used.redeem(c));
        tickets.verify(token, "room1");
        clock.advance(Duration.ofMillis(200));
        assertEquals(null, cache.get(c.id()), "gone from the cache once the ticket is dead anyway");
        TicketException e = assertThrows(TicketException.class, () -> tickets.verify(token, "room1"));
        assertEquals(CloseCode.TICKET_EXPIRED, e.closeCode());
    }

    @Test
    void ofManyRacingRedeemsExactlyOneWins() throws Exception {
        Tickets.Claims c = tickets.verify(tickets.issue("room1", "alice", "acme").token(), "room1");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    try {
                        used.redeem(c);
                        return true;
                    } catch (TicketException e) {
                        return false;
                    }
                }));
            }
            go.countDown();
            int admitted = 0;
            for (Future<Boolean> f : results) {
                admitted += f.get(10, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertEquals(1, admitted);
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        }
    }
}
