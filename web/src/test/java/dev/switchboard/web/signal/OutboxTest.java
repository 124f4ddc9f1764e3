package dev.switchboard.web.signal;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutboxTest {

    @Test
    void sendsInOrderOneAtATime() {
        FakeTransport t = new FakeTransport();
        t.pause();
        Outbox o = new Outbox(t, 10, e -> { });
        o.offer("a");
        o.offer("b");
        o.offer("c");
        assertEquals(List.of("a"), t.sent, "one in flight");
        t.resume();
        assertEquals(List.of("a", "b", "c"), t.sent);
    }

    @Test
    void inlineCompletionsDoNotRecurse() {
        FakeTransport t = new FakeTransport();
        Outbox o = new Outbox(t, 200_000, e -> { });
        t.pause();
        o.offer("first");
        for (int i = 0; i < 100_000; i++) {
            o.offer("m" + i);
        }
        t.resume(); // the remaining 100 000 complete inline: a recursive pump would overflow the stack
        assertEquals(100_001, t.sent.size());
        assertEquals("m99999", t.sent.get(100_000));
    }

    @Test
    void holdPutsTheReleaseMessageFirst() {
        FakeTransport t = new FakeTransport();
        Outbox o = new Outbox(t, 10, e -> { });
        o.offer("before");
        o.hold();
        o.offer("event1");
        o.offerAll(List.of("event2", "event3"));
        assertEquals(List.of("before"), t.sent);
        o.release("joined");
        assertEquals(List.of("before", "joined", "event1", "event2", "event3"), t.sent);
    }

    @Test
    void droppedHoldDiscardsWhatWaited() {
        FakeTransport t = new FakeTransport();
        Outbox o = new Outbox(t, 10, e -> { });
        o.hold();
        o.offer("for a participant that never came to be");
        o.dropHeld();
        o.offer("error");
        assertEquals(List.of("error"), t.sent);
    }

    @Test
    void refusesBeyondCapacity() {
        FakeTransport t = new FakeTransport();
        t.pause();
        Outbox o = new Outbox(t, 3, e -> { });
        assertTrue(o.offer("1")); // in flight, no longer queued
        assertTrue(o.offer("2"));
        assertTrue(o.offer("3"));
        assertTrue(o.offer("4"));
        assertFalse(o.offer("5"));
        assertFalse(o.offerAll(List.of("x")));
        assertEquals(3, o.size());
    }

    @Test
    void aFailedSendClosesTheOutbox() {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<String> sent = new ArrayList<>();
        IllegalStateException boom = new IllegalStateException("broken pipe");
        Transport failing = new Transport() {
            @Override
            public void send(String text, java.util.function.Consumer<Throwable> done) {
                sent.add(text);
                done.accept(boom);
            }

            @Override
            public void close(int code, String reason) {
            }
        };
        Outbox o = new Outbox(failing, 10, failure::set);
        o.offer("a");
        o.offer("b");
        assertSame(boom, failure.get());
        assertEquals(List.of("a"), sent);
    }
}
