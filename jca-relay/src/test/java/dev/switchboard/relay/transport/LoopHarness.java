package dev.switchboard.relay.transport;

import dev.switchboard.relay.Await;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs an {@link EventLoop} on a plain thread for a test (the server lends it a WorkManager thread instead). */
final class LoopHarness implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(10);

    final EventLoop loop;
    final Thread thread;

    private LoopHarness(EventLoop loop) {
        this.loop = loop;
        this.thread = new Thread(loop, loop.name());
        this.thread.setDaemon(true);
    }

    static LoopHarness start(String name) throws IOException {
        LoopHarness harness = new LoopHarness(EventLoop.open(name));
        harness.thread.start();
        return harness;
    }

    /** Runs {@code action} on the loop thread and returns its result. */
    <T> T call(Callable<T> action) throws Exception {
        return loop.submit(action).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        loop.close();
        assertTrue(loop.awaitTermination(TIMEOUT), "loop terminates");
        thread.join(TIMEOUT.toMillis());
        assertTrue(!thread.isAlive(), "loop thread ends");
    }

    /** Polls {@code condition} until true, failing after {@link #TIMEOUT}. */
    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Await.until(what, TIMEOUT, 2, condition);
    }

    static byte[] toArray(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
