package dev.switchboard.relay.sfu.dtls;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counts of one {@link DtlsAcceptor} and its sessions. Written from the event loops and the handshake threads
 * alike, hence atomics; any thread may read them.
 */
public final class DtlsStats {

    /** What is counted. */
    public enum Counter {
        /** Datagrams without a session that are not a whole ClientHello: dropped before any work. */
        NOT_CLIENT_HELLO,
        /** ClientHellos answered with a HelloVerifyRequest (no or a wrong cookie): no state kept. */
        HELLO_VERIFY_REQUESTS,
        /** ClientHello-shaped datagrams the cookie check could not parse: dropped. */
        INVALID_CLIENT_HELLO,
        /** Verified ClientHellos dropped because {@link DtlsSettings#maxHandshakes()} were in progress. */
        HANDSHAKES_REFUSED,
        /** Verified ClientHellos that found no executor thread (the executor refused the task): dropped. */
        EXECUTOR_REJECTED,
        HANDSHAKES_STARTED,
        HANDSHAKES_COMPLETED,
        /** Handshakes that did not complete, whatever the reason (the reasons below are counted as well). */
        HANDSHAKES_FAILED,
        FINGERPRINT_MISMATCHES,
        SRTP_REFUSED,
        HANDSHAKE_TIMEOUTS,
        /** Fatal alerts received from peers, during or after the handshake. */
        ALERTS_RECEIVED,
        /** Datagrams to a session dropped: its queue full, the shared buffers all lent, or larger than a buffer. */
        DATAGRAMS_DROPPED,
        /**
         * Records after the handshake that Bouncy Castle could not decode: discarded (RFC 6347 §4.1.2.7). Records
         * failing their MAC it discards itself, uncounted.
         */
        INVALID_RECORDS,
        /** Application data (SCTP for data channels, not supported yet) received and dropped. */
        APPLICATION_DATA_DROPPED,
        SESSIONS_CLOSED
    }

    private static final Counter[] COUNTERS = Counter.values();

    private final AtomicLongArray counts = new AtomicLongArray(COUNTERS.length);
    private final AtomicInteger activeHandshakes = new AtomicInteger();
    private final AtomicInteger openSessions = new AtomicInteger();

    void increment(Counter counter) {
        counts.incrementAndGet(counter.ordinal());
    }

    public long get(Counter counter) {
        return counts.get(counter.ordinal());
    }

    /** Handshakes in progress (each holding an executor thread or waiting for one). */
    public int activeHandshakes() {
        return activeHandshakes.get();
    }

    /** Sessions created and not yet ended: handshaking or connected. */
    public int openSessions() {
        return openSessions.get();
    }

    /** Takes a handshake slot if fewer than {@code max} are taken. */
    boolean tryStartHandshake(int max) {
        while (true) {
            int now = activeHandshakes.get();
            if (now >= max) {
                return false;
            }
            if (activeHandshakes.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    void handshakeEnded() {
        activeHandshakes.decrementAndGet();
    }

    void sessionOpened() {
        openSessions.incrementAndGet();
    }

    void sessionEnded() {
        openSessions.decrementAndGet();
        increment(Counter.SESSIONS_CLOSED);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("DtlsStats[activeHandshakes=").append(activeHandshakes())
                .append(", openSessions=").append(openSessions());
        for (Counter c : COUNTERS) {
            sb.append(", ").append(c.name().toLowerCase(java.util.Locale.ROOT)).append('=').append(get(c));
        }
        return sb.append(']').toString();
    }
}
