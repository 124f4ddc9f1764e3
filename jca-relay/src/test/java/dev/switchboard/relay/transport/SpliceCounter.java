package dev.switchboard.relay.transport;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** A splice observer for tests: counts the bytes each way and the close, and can pace the first direction. */
final class SpliceCounter implements StreamSplice.Observer {
    final AtomicLong fromFirst = new AtomicLong();
    final AtomicLong fromSecond = new AtomicLong();
    final AtomicInteger closed = new AtomicInteger();

    /** Nanoseconds of pause per byte read from the first end: a rate limit (0: none). */
    volatile long pausePerByteFromFirst;

    @Override
    public long relayed(boolean first, int bytes) {
        (first ? fromFirst : fromSecond).addAndGet(bytes);
        return first ? bytes * pausePerByteFromFirst : 0;
    }

    @Override
    public void closed() {
        closed.incrementAndGet();
    }
}
