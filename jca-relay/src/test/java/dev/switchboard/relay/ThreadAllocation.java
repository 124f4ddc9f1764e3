package dev.switchboard.relay;

import org.junit.jupiter.api.Assumptions;

import java.lang.management.ManagementFactory;

/** The JVM's per-thread allocation counter for the allocation tests; skips the test where the JVM has none. */
public final class ThreadAllocation {

    private ThreadAllocation() {
    }

    /** The thread bean with allocation counting on, or the calling test skipped (an assumption fails). */
    public static com.sun.management.ThreadMXBean bean() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "no per-thread allocation counter");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
                "per-thread allocation counting is off");
        return threads;
    }

    /**
     * Bytes the calling thread allocates per run of {@code step}, measured over {@code measured} runs after
     * {@code warmUp} runs that let the JIT and any lazily grown arrays settle.
     */
    public static double bytesPerRun(Runnable step, int warmUp, int measured) {
        com.sun.management.ThreadMXBean threads = bean();
        long me = Thread.currentThread().getId();
        for (int i = 0; i < warmUp; i++) {
            step.run();
        }
        long before = threads.getThreadAllocatedBytes(me);
        for (int i = 0; i < measured; i++) {
            step.run();
        }
        return (threads.getThreadAllocatedBytes(me) - before) / (double) measured;
    }
}
