package dev.switchboard.relay.ra;

import jakarta.resource.spi.work.HintsContext;
import jakarta.resource.spi.work.Work;
import jakarta.resource.spi.work.WorkContext;
import jakarta.resource.spi.work.WorkContextProvider;
import jakarta.resource.spi.work.WorkException;
import jakarta.resource.spi.work.WorkManager;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs the relay's long-lived loops on container threads: the JCA spec forbids an adapter from making its own.
 * {@code startWork} returns once the work has a thread, so a loop that cannot get one fails start-up loudly.
 */
final class WorkManagerExecutor implements Executor {

    private final WorkManager workManager;

    WorkManagerExecutor(WorkManager workManager) {
        this.workManager = workManager;
    }

    @Override
    public void execute(Runnable command) {
        try {
            workManager.startWork(new LongRunningWork(command), WorkManager.INDEFINITE, null, null);
        } catch (WorkException e) {
            throw new RejectedExecutionException("WorkManager refused relay work: " + e.getMessage(), e);
        }
    }

    /** Marked long-running so the container serves it from its long-running pool where it has one. */
    private static final class LongRunningWork implements Work, WorkContextProvider {
        private static final long serialVersionUID = 1L;
        private final transient Runnable command;

        LongRunningWork(Runnable command) {
            this.command = command;
        }

        @Override
        public void run() {
            command.run();
        }

        @Override
        public void release() {
            // The relay stops its loops itself in ResourceAdapter.stop(); nothing to interrupt here.
        }

        @Override
        public List<WorkContext> getWorkContexts() {
            HintsContext hints = new HintsContext();
            hints.setName("switchboard-relay");
            hints.setHint(HintsContext.LONGRUNNING_HINT, Boolean.TRUE);
            return List.of(hints);
        }
    }
}
