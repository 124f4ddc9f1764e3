package dev.switchboard.relay.transport;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A reusable deadline on one {@link EventLoop}: made once per thing that expires (a TURN allocation, permission or
 * channel binding; a TCP connection's idle check), then scheduled, moved and cancelled as often as needed without
 * allocating. When it fires it is no longer scheduled; the action may schedule it again.
 *
 * <p>Loop thread only, like everything the loop owns: from elsewhere go through {@link EventLoop#execute}.
 * Deadlines are {@link System#nanoTime()} values; the loop wakes for them with millisecond granularity.
 */
public final class LoopTimer {

    private final EventLoop loop;
    private final Runnable action;

    // Maintained by TimerQueue: the position in its heap lets cancel and reschedule work in O(log n) without search.
    long deadline;
    long sequence;
    int heapIndex = -1;

    LoopTimer(EventLoop loop, Runnable action) {
        this.loop = loop;
        this.action = Objects.requireNonNull(action, "action");
    }

    /** Schedules (or moves) the timer to fire after {@code delay}. */
    public void schedule(long delay, TimeUnit unit) {
        scheduleAt(System.nanoTime() + unit.toNanos(delay));
    }

    public void schedule(Duration delay) {
        scheduleAt(System.nanoTime() + delay.toNanos());
    }

    /** Schedules (or moves) the timer to fire at a {@link System#nanoTime()} deadline; a past one fires next turn. */
    public void scheduleAt(long deadlineNanos) {
        loop.timers().schedule(this, deadlineNanos);
    }

    /** @return whether it was scheduled */
    public boolean cancel() {
        return loop.timers().cancel(this);
    }

    public boolean isScheduled() {
        return heapIndex >= 0;
    }

    /** The deadline it is (or was last) scheduled for. */
    public long deadline() {
        return deadline;
    }

    void fire() {
        action.run();
    }

    @Override
    public String toString() {
        return "LoopTimer[" + action + "]";
    }
}
