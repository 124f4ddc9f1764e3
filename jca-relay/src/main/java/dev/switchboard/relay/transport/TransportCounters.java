package dev.switchboard.relay.transport;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One listener's traffic counts. Only the listener's event-loop thread writes them (single writer), so a plain
 * read-add-write published with opaque access is exact without locks or atomic read-modify-write instructions;
 * any thread may read them, seeing each count as of a recent moment. A {@link Snapshot} is not one atomic cut
 * across all counts, which monitoring does not need.
 */
public final class TransportCounters {

    // Indexes into the one array: a compact layout, and a single VarHandle for all counts.
    static final int PACKETS_IN = 0;
    static final int PACKETS_OUT = 1;
    static final int BYTES_IN = 2;
    static final int BYTES_OUT = 3;
    static final int HANDLED = 4;
    static final int DROPPED = 5;
    static final int MALFORMED = 6;
    static final int ERRORS = 7;
    static final int SEND_DROPPED = 8;
    static final int CONNECTIONS_ACCEPTED = 9;
    static final int CONNECTIONS_OPEN = 10;
    static final int CONNECTIONS_REJECTED = 11;
    static final int CONNECTIONS_TIMED_OUT = 12;
    static final int TLS_HANDSHAKES = 13;
    static final int TLS_HANDSHAKE_FAILURES = 14;
    static final int CLIENT_UNREACHABLE = 15;
    static final int CLIENT_SOCKETS_OPEN = 16;
    static final int CONNECTIONS_REJECTED_PER_SOURCE = 17;
    static final int POOL_EXHAUSTED = 18;
    static final int POOL_BYTES = 19;
    private static final int SIZE = 20;

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);

    private final long[] counts = new long[SIZE];

    /** Loop thread only. */
    void add(int slot, long delta) {
        SLOT.setOpaque(counts, slot, (long) SLOT.getOpaque(counts, slot) + delta);
    }

    void increment(int slot) {
        add(slot, 1);
    }

    /** A packet (datagram or stream frame) received, before the handler sees it. */
    void received(int bytes) {
        increment(PACKETS_IN);
        add(BYTES_IN, bytes);
    }

    void sent(int bytes) {
        increment(PACKETS_OUT);
        add(BYTES_OUT, bytes);
    }

    void count(Outcome outcome) {
        increment(switch (outcome) {
            case HANDLED -> HANDLED;
            case DROPPED -> DROPPED;
            case MALFORMED -> MALFORMED;
        });
    }

    private long get(int slot) {
        return (long) SLOT.getOpaque(counts, slot);
    }

    /** Packets received: datagrams, or frames cut from a stream. */
    public long packetsIn() {
        return get(PACKETS_IN);
    }

    public long packetsOut() {
        return get(PACKETS_OUT);
    }

    /** Bytes received (on streams: every byte read, frames or not; on TLS: the encrypted bytes). */
    public long bytesIn() {
        return get(BYTES_IN);
    }

    public long bytesOut() {
        return get(BYTES_OUT);
    }

    /** Packets a handler processed. */
    public long handled() {
        return get(HANDLED);
    }

    /** Packets dropped without a reply: nobody handles their class, or not allowed. */
    public long dropped() {
        return get(DROPPED);
    }

    /** Packets that could not be parsed, and streams closed because they could not be framed. */
    public long malformed() {
        return get(MALFORMED);
    }

    /** Exceptions from handlers and I/O errors; the loop survives each of them. */
    public long errors() {
        return get(ERRORS);
    }

    /** Replies not sent: socket buffer full, per-connection write buffer full, or flow closed. */
    public long sendDropped() {
        return get(SEND_DROPPED);
    }

    public long connectionsAccepted() {
        return get(CONNECTIONS_ACCEPTED);
    }

    public long connectionsOpen() {
        return get(CONNECTIONS_OPEN);
    }

    /**
     * Connections closed at once because a connection cap was reached: the total, or their source's (those also
     * counted in {@link #connectionsRejectedPerSource}).
     */
    public long connectionsRejected() {
        return get(CONNECTIONS_REJECTED);
    }

    /** Connections closed at once because their source (IPv4 address, IPv6 /64) had its cap of connections open. */
    public long connectionsRejectedPerSource() {
        return get(CONNECTIONS_REJECTED_PER_SOURCE);
    }

    /** Connections closed because they needed a buffer for an unfinished frame while the pool had none to lend. */
    public long poolExhausted() {
        return get(POOL_EXHAUSTED);
    }

    /**
     * Bytes of buffer the listener's pools lend its connections now (for unfinished frames and TLS records); 0 when
     * no connection is half-way through a message, whatever the number of connections.
     */
    public long poolBytes() {
        return get(POOL_BYTES);
    }

    /** Connections closed for sending no (whole) message for too long: first-message and idle timeouts. */
    public long connectionsTimedOut() {
        return get(CONNECTIONS_TIMED_OUT);
    }

    /** TLS handshakes completed. */
    public long tlsHandshakes() {
        return get(TLS_HANDSHAKES);
    }

    /**
     * TLS connections closed before their handshake completed: bytes that are no TLS (also counted malformed), a
     * handshake the engine refused (also malformed), or one that took too long (also timed out).
     */
    public long tlsHandshakeFailures() {
        return get(TLS_HANDSHAKE_FAILURES);
    }

    /**
     * ICMP port unreachable reported on a UDP socket connected to one client (the client is gone): counted, not
     * logged, and not an error; the allocation behind it ends by its lifetime.
     */
    public long clientUnreachable() {
        return get(CLIENT_UNREACHABLE);
    }

    /** UDP sockets connected to one client each (one per allocation) open on this listener's port. */
    public long clientSocketsOpen() {
        return get(CLIENT_SOCKETS_OPEN);
    }

    public Snapshot snapshot() {
        return new Snapshot(packetsIn(), packetsOut(), bytesIn(), bytesOut(), handled(), dropped(), malformed(),
                errors(), sendDropped(), connectionsAccepted(), connectionsOpen(), connectionsRejected(),
                connectionsTimedOut(), tlsHandshakes(), tlsHandshakeFailures(), connectionsRejectedPerSource(),
                poolExhausted(), poolBytes());
    }

    @Override
    public String toString() {
        return snapshot().toString();
    }

    /**
     * The counts as read at one moment, for management and events. Connection counts stay 0 on UDP, TLS counts
     * off TLS.
     */
    public record Snapshot(long packetsIn, long packetsOut, long bytesIn, long bytesOut, long handled, long dropped,
                           long malformed, long errors, long sendDropped, long connectionsAccepted,
                           long connectionsOpen, long connectionsRejected, long connectionsTimedOut,
                           long tlsHandshakes, long tlsHandshakeFailures, long connectionsRejectedPerSource,
                           long poolExhausted, long poolBytes) {
    }
}
