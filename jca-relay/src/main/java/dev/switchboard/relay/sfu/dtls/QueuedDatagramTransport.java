package dev.switchboard.relay.sfu.dtls;

import org.bouncycastle.tls.DatagramTransport;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The {@link DatagramTransport} Bouncy Castle's blocking DTLS code reads from and writes to. The event loop
 * {@link #offer}s datagrams without ever waiting (a full queue or an empty pool drops the datagram); the session's
 * thread {@link #receive}s them, waiting at most until the handshake deadline; sends go straight to the
 * {@link DtlsOutput}.
 */
final class QueuedDatagramTransport implements DatagramTransport {

    /**
     * Datagrams queued per session. A client's largest flight (Certificate, ClientKeyExchange, CertificateVerify,
     * ChangeCipherSpec, Finished) is a handful of datagrams; more waiting means the reader is behind, and DTLS
     * retransmits what we drop.
     */
    static final int QUEUE_CAPACITY = 8;
    /**
     * The largest datagram we send: as libwebrtc, 1,200 bytes, so a flight fits through TURN, VPNs and IPv6 tunnels
     * without IP fragmentation (Bouncy Castle fragments handshake messages to fit).
     */
    static final int SEND_LIMIT = 1200;

    /** Put in the queue by {@link #close()} to wake a blocked reader; never from or to the pool. */
    private static final DatagramSlots.Slot CLOSED = new DatagramSlots.Slot();

    private final ArrayBlockingQueue<DatagramSlots.Slot> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY + 1);
    private final DatagramSlots slots;
    private final DtlsOutput output;
    private volatile boolean closed;
    private volatile long deadline;
    private volatile boolean hasDeadline;
    private volatile boolean deadlinePassed;

    QueuedDatagramTransport(DatagramSlots slots, DtlsOutput output) {
        this.slots = slots;
        this.output = output;
    }

    /**
     * Queues a copy of the datagram's remaining bytes (position unchanged). Never blocks; false when dropped: closed,
     * too large, no buffer free, or {@link #QUEUE_CAPACITY} already waiting.
     */
    boolean offer(ByteBuffer datagram) {
        if (closed || queue.size() >= QUEUE_CAPACITY) {
            return false;
        }
        DatagramSlots.Slot slot = slots.copyOf(datagram);
        if (slot == null) {
            return false;
        }
        if (!queue.offer(slot)) {
            slots.give(slot);
            return false;
        }
        if (closed) {
            // close() may have drained before our offer landed: give back what it missed.
            close();
        }
        return true;
    }

    boolean hasQueued() {
        DatagramSlots.Slot head = queue.peek();
        return head != null && head != CLOSED;
    }

    /** From now on {@link #receive} fails once {@code nanoTime} passes {@code deadlineNanos}. */
    void startDeadline(long deadlineNanos) {
        this.deadline = deadlineNanos;
        this.hasDeadline = true;
    }

    void clearDeadline() {
        this.hasDeadline = false;
    }

    boolean deadlinePassed() {
        return deadlinePassed;
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public int getReceiveLimit() {
        return DatagramSlots.SLOT_SIZE;
    }

    @Override
    public int getSendLimit() {
        return SEND_LIMIT;
    }

    @Override
    public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
        long wait = Math.max(0, waitMillis);
        if (hasDeadline) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                deadlinePassed = true;
                throw new HandshakeDeadlineException();
            }
            wait = Math.min(wait, TimeUnit.NANOSECONDS.toMillis(left) + 1);
        }
        if (closed) {
            throw new IOException("DTLS transport closed");
        }
        DatagramSlots.Slot slot;
        try {
            slot = queue.poll(wait, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted waiting for a datagram");
        }
        if (slot == CLOSED || (slot == null && closed)) {
            throw new IOException("DTLS transport closed");
        }
        if (slot == null) {
            return -1;
        }
        int n = Math.min(len, slot.length);
        System.arraycopy(slot.data, 0, buf, off, n);
        slots.give(slot);
        return n;
    }

    @Override
    public void send(byte[] buf, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("DTLS transport closed");
        }
        output.send(buf, off, len);
    }

    /** Idempotent; gives every queued buffer back and wakes a reader. Any thread. */
    @Override
    public void close() {
        closed = true;
        drain();
        queue.offer(CLOSED);
    }

    private void drain() {
        DatagramSlots.Slot slot;
        while ((slot = queue.poll()) != null) {
            if (slot != CLOSED) {
                slots.give(slot);
            }
        }
    }

    /** Not a {@link java.net.SocketTimeoutException}: Bouncy Castle would take that for "no datagram yet". */
    static final class HandshakeDeadlineException extends IOException {
        HandshakeDeadlineException() {
            super("DTLS handshake deadline passed");
        }
    }
}
