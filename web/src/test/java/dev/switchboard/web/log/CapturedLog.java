package dev.switchboard.web.log;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** The records a logger publishes while a test holds this (try-with-resources); alone, or beside its handlers. */
public final class CapturedLog extends Handler implements AutoCloseable {

    public final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Logger logger;
    private final boolean alone;

    private CapturedLog(Logger logger, boolean alone) {
        this.logger = logger;
        this.alone = alone;
    }

    /** Captures what {@code logger} publishes, still passing it on to its parents. */
    public static CapturedLog of(Logger logger) {
        return attach(logger, false);
    }

    /** Captures what {@code logger} publishes instead of its parents (the test's output stays quiet). */
    public static CapturedLog instead(Logger logger) {
        return attach(logger, true);
    }

    private static CapturedLog attach(Logger logger, boolean alone) {
        CapturedLog log = new CapturedLog(logger, alone);
        logger.addHandler(log);
        if (alone) {
            logger.setUseParentHandlers(false);
        }
        return log;
    }

    @Override
    public void publish(LogRecord r) {
        records.add(r);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
        if (alone) {
            logger.setUseParentHandlers(true);
        }
    }
}
