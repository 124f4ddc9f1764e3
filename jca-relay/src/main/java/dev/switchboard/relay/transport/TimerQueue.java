package dev.switchboard.relay.transport;

import java.util.Arrays;

/**
 * The loop's pending {@link LoopTimer}s as a binary min-heap ordered by deadline, ties by scheduling order so
 * timers due together fire in the order they were set. Each timer knows its heap slot, so cancelling or moving one
 * (the common case for refreshed TURN lifetimes) costs O(log n) and no allocation; the array only grows.
 * Not thread-safe: the loop thread is its only user.
 */
final class TimerQueue {

    private final EventLoop loop;
    private LoopTimer[] heap = new LoopTimer[64];
    private int size;
    private long nextSequence;

    TimerQueue(EventLoop loop) {
        this.loop = loop;
    }

    void schedule(LoopTimer timer, long deadline) {
        loop.checkInLoop();
        timer.deadline = deadline;
        timer.sequence = nextSequence++;
        int at = timer.heapIndex;
        if (at < 0) {
            if (size == heap.length) {
                heap = Arrays.copyOf(heap, size * 2);
            }
            at = size++;
            heap[at] = timer;
            timer.heapIndex = at;
            siftUp(at);
        } else {
            // Moved: it can only need to go one way, and siftDown is a no-op when siftUp moved it.
            siftDown(siftUp(at));
        }
    }

    boolean cancel(LoopTimer timer) {
        int at = timer.heapIndex;
        if (at < 0) {
            return false; // nothing to touch, so also fine while a loop that never ran is torn down
        }
        loop.checkInLoop();
        removeAt(at);
        return true;
    }

    int size() {
        return size;
    }

    /** Sequence the next scheduled timer will get: lets the loop leave timers set while firing for its next turn. */
    long nextSequence() {
        return nextSequence;
    }

    /** Nanoseconds until the earliest deadline (0 or less when due), or {@link Long#MAX_VALUE} when none is set. */
    long nanosUntilNext(long now) {
        return size == 0 ? Long.MAX_VALUE : heap[0].deadline - now;
    }

    /** Removes and returns the earliest timer if it is due at {@code now} and was scheduled before {@code sequenceLimit}. */
    LoopTimer pollDue(long now, long sequenceLimit) {
        if (size == 0) {
            return null;
        }
        LoopTimer first = heap[0];
        if (first.deadline - now > 0 || first.sequence >= sequenceLimit) {
            return null;
        }
        removeAt(0);
        return first;
    }

    void clear() {
        for (int i = 0; i < size; i++) {
            heap[i].heapIndex = -1;
            heap[i] = null;
        }
        size = 0;
    }

    private void removeAt(int at) {
        LoopTimer removed = heap[at];
        removed.heapIndex = -1;
        int last = --size;
        if (at != last) {
            LoopTimer moved = heap[last];
            heap[at] = moved;
            moved.heapIndex = at;
            heap[last] = null;
            siftDown(siftUp(at));
        } else {
            heap[last] = null;
        }
    }

    private int siftUp(int at) {
        LoopTimer timer = heap[at];
        while (at > 0) {
            int parent = (at - 1) >>> 1;
            if (!before(timer, heap[parent])) {
                break;
            }
            place(heap[parent], at);
            at = parent;
        }
        place(timer, at);
        return at;
    }

    private void siftDown(int at) {
        LoopTimer timer = heap[at];
        int half = size >>> 1;
        while (at < half) {
            int child = 2 * at + 1;
            int right = child + 1;
            if (right < size && before(heap[right], heap[child])) {
                child = right;
            }
            if (!before(heap[child], timer)) {
                break;
            }
            place(heap[child], at);
            at = child;
        }
        place(timer, at);
    }

    private void place(LoopTimer timer, int at) {
        heap[at] = timer;
        timer.heapIndex = at;
    }

    // Subtraction, not comparison: nanoTime values may wrap.
    private static boolean before(LoopTimer a, LoopTimer b) {
        long d = a.deadline - b.deadline;
        return d < 0 || (d == 0 && a.sequence < b.sequence);
    }
}
