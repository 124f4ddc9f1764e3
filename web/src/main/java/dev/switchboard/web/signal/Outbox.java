package dev.switchboard.web.signal;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.function.Consumer;

/**
 * A connection's outgoing messages: a bounded queue written by any thread, sent one at a time through the
 * transport's asynchronous send, so a slow reader never blocks the thread that delivers to it.
 * <p>
 * While a join or resume is being completed the outbox is on hold: what others send meanwhile waits until
 * {@link #release} puts the {@code joined}/{@code resumed} reply in front of it, so a participant never hears about
 * others before it hears about itself.
 */
final class Outbox {

    private final Transport transport;
    private final int capacity;
    private final Consumer<Throwable> onSendFailure;
    private final ArrayDeque<String> queue = new ArrayDeque<>();
    private ArrayDeque<String> held;
    private boolean sending;
    private boolean pumping;
    private boolean closed;

    Outbox(Transport transport, int capacity, Consumer<Throwable> onSendFailure) {
        this.transport = transport;
        this.capacity = capacity;
        this.onSendFailure = onSendFailure;
    }

    /** Queues a message; false when the queue is full (the caller closes the connection as too slow). */
    boolean offer(String message) {
        synchronized (this) {
            if (closed) {
                return true; // the socket is going; nothing to deliver to, and not the sender's fault
            }
            if (size() >= capacity) {
                return false;
            }
            (held != null ? held : queue).addLast(message);
        }
        pump();
        return true;
    }

    /** Queues several, in order; false when they do not all fit (then none is queued). */
    boolean offerAll(Collection<String> messages) {
        synchronized (this) {
            if (closed || messages.isEmpty()) {
                return true;
            }
            if (size() + messages.size() > capacity) {
                return false;
            }
            (held != null ? held : queue).addAll(messages);
        }
        pump();
        return true;
    }

    synchronized void hold() {
        if (held == null) {
            held = new ArrayDeque<>();
        }
    }

    /** Ends the hold: {@code first} goes out before everything that queued up meanwhile. */
    void release(String first) {
        synchronized (this) {
            if (closed) {
                return;
            }
            queue.addLast(first);
            if (held != null) {
                queue.addAll(held);
                held = null;
            }
        }
        pump();
    }

    /** Ends a hold whose join failed: what waited was meant for a participant that never came to be. */
    synchronized void dropHeld() {
        held = null;
    }

    /** Drops what is queued; later offers are ignored. */
    synchronized void close() {
        closed = true;
        queue.clear();
        held = null;
    }

    synchronized int size() {
        return queue.size() + (held == null ? 0 : held.size());
    }

    /**
     * One send in flight at a time. A send may complete inside {@code transport.send}, on this thread: then this
     * loop sends the next, rather than recursing through the completion, so a long queue cannot overflow the stack.
     */
    private void pump() {
        for (;;) {
            String next;
            synchronized (this) {
                if (pumping || sending || closed || queue.isEmpty()) {
                    return;
                }
                sending = true;
                pumping = true;
                next = queue.pollFirst();
            }
            try {
                transport.send(next, this::completed);
            } catch (RuntimeException e) {
                completed(e);
            }
            synchronized (this) {
                pumping = false;
                if (sending) {
                    return; // still in flight: its completion pumps on
                }
            }
        }
    }

    private void completed(Throwable failure) {
        boolean pumpHere;
        synchronized (this) {
            sending = false;
            pumpHere = !pumping;
        }
        if (failure != null) {
            close();
            onSendFailure.accept(failure);
            return;
        }
        if (pumpHere) {
            pump();
        }
    }
}
