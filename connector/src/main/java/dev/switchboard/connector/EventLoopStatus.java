package dev.switchboard.connector;

import java.io.Serializable;
import java.time.Instant;

/**
 * What the relay's event loop has been through since the relay started, for health and metrics. The counts only
 * grow while the relay runs (a redeploy starts them again).
 *
 * @param running       whether a loop serves the listeners now (false between a failure and its restart)
 * @param faults        errors (out of memory, stack overflow…) caught inside the loop and confined to the one
 *                      connection, datagram, timer or task that raised them: the loop served on
 * @param failures      times the loop itself ended without being asked to, taking every listener down with it
 * @param restarts      times a new loop was brought up with the listeners after such a failure
 * @param lastFailureAt when the latest fault or failure happened; null if none has
 * @param lastFailure   what it was: the error's class and message, e.g.
 *                      {@code OutOfMemoryError: Direct buffer memory}; null if none
 */
public record EventLoopStatus(boolean running, long faults, long failures, long restarts, Instant lastFailureAt,
                              String lastFailure) implements Serializable {

    /** A relay that has not started. */
    public static final EventLoopStatus NOT_RUNNING = new EventLoopStatus(false, 0, 0, 0, null, null);
}
