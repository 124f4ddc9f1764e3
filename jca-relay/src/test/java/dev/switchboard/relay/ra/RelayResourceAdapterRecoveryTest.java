package dev.switchboard.relay.ra;

import dev.switchboard.connector.EventLoopStatus;
import dev.switchboard.connector.ListenerStatus;
import dev.switchboard.relay.Await;
import dev.switchboard.relay.TestPorts;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * In the container: the WorkManager thread of a loop that ended is handed back, the new loop runs on a new Work,
 * the outbound connection reports what happened, and {@code stop()} still returns only once every Work is back.
 */
class RelayResourceAdapterRecoveryTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void aLoopThatEndsComesBackOnANewWorkAndStopGetsEveryWorkBack() throws Exception {
        LaggingWorkManager wm = new LaggingWorkManager(100);
        String port = Integer.toString(TestPorts.freeUdpAndTcp());
        RelayResourceAdapter ra = new RelayResourceAdapter(Map.of("switchboard.bind.address", "127.0.0.1",
                "switchboard.stun.port", port, "switchboard.stun.tcp.port", port,
                "switchboard.turn.tls.port", "0")::get);
        ra.start(RelayResourceAdapterStopTest.bootstrap(wm));
        try {
            Thread loop = loopThread(wm);
            int before = wm.started.get();
            loop.interrupt(); // as a container taking its thread back would

            await("the relay back on a new Work", () -> status(ra).restarts() == 1 && allUp(ra));
            EventLoopStatus status = status(ra);
            assertEquals(1, status.failures(), status.toString());
            assertTrue(status.running(), status.toString());
            assertEquals(before + 1, wm.started.get(), "one Work for the new loop");
            await("the dead loop's Work handed back", () -> wm.handedBack.get() == 1);
        } finally {
            ra.stop();
        }
        assertEquals(wm.started.get(), wm.handedBack.get(), "stop() returned while the pool still ran relay Work");
    }

    private static EventLoopStatus status(RelayResourceAdapter ra) {
        try {
            return ra.server().eventLoop();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static boolean allUp(RelayResourceAdapter ra) {
        try {
            return ra.server().listeners().stream().allMatch(ListenerStatus::isUp);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The Work thread running the event loop (the event dispatcher runs on another). */
    private static Thread loopThread(LaggingWorkManager wm) throws InterruptedException {
        Thread[] found = new Thread[1];
        await("the event loop running", () -> {
            for (Thread t : wm.threads) {
                if (Arrays.stream(t.getStackTrace()).anyMatch(f -> f.getClassName().endsWith(".EventLoop")
                        && f.getMethodName().equals("run"))) {
                    found[0] = t;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Await.until(what, WAIT, 10, condition);
    }
}
