package dev.switchboard.relay.sfu.dtls;

import org.bouncycastle.tls.DTLSRequest;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsTimeoutException;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The server side of one client's DTLS-SRTP association, created by {@link DtlsAcceptor#accept} from a ClientHello
 * with a valid cookie. The event loop passes it every later DTLS datagram of its 5-tuple through
 * {@link #onDatagram}, which only copies and queues. The handshake runs on the acceptor's executor; once it
 * completes the listener gets the SRTP keying material, and the session keeps reading the few DTLS records that
 * still come (retransmitted client flights, alerts, application data) on the executor as they arrive, holding no
 * thread in between. It ends once: close_notify or a fatal alert from the peer, a failed or late handshake, or
 * {@link #close()}; then its buffers are back in the pool and the listener hears why.
 */
public final class DtlsSession {

    private static final Logger LOG = Logger.getLogger(DtlsSession.class.getName());

    public enum State { HANDSHAKING, CONNECTED, CLOSED }

    /**
     * What a session tells its owner, on the executor's threads (or the thread calling {@link #close()}). Both
     * should return quickly; an exception thrown is logged and ignored.
     */
    public interface Listener {

        /** The handshake completed: SRTP may start with these keys. At most once, before {@link #closed}. */
        void connected(DtlsSession session, SrtpKeyingMaterial keys);

        /** The session ended and holds nothing any more; exactly once. The owner forgets it (its 5-tuple). */
        void closed(DtlsSession session, DtlsCloseReason reason);
    }

    private final InetSocketAddress remote;
    private final QueuedDatagramTransport transport;
    private final SrtpDtlsServer server;
    /** The cookie-verified ClientHello, or null when the caller verified the address itself. */
    private final DTLSRequest request;
    private final Listener listener;
    private final DtlsStats stats;
    private final long timeoutNanos;
    private final AtomicReference<State> state = new AtomicReference<>(State.HANDSHAKING);
    private final AtomicBoolean draining = new AtomicBoolean();
    private final Runnable drainTask = this::drain;
    private volatile Executor executor;
    private volatile DTLSTransport dtls;
    private volatile boolean closeRequested;
    private byte[] applicationData;

    DtlsSession(InetSocketAddress remote, QueuedDatagramTransport transport, SrtpDtlsServer server,
                DTLSRequest request, Listener listener, DtlsStats stats, long timeoutNanos) {
        this.remote = remote;
        this.transport = transport;
        this.server = server;
        this.request = request;
        this.listener = listener;
        this.stats = stats;
        this.timeoutNanos = timeoutNanos;
    }

    public InetSocketAddress remote() {
        return remote;
    }

    public State state() {
        return state.get();
    }

    /** The SRTP keys once {@link State#CONNECTED}, else null. */
    public SrtpKeyingMaterial keyingMaterial() {
        return state.get() == State.CONNECTED ? server.keyingMaterial() : null;
    }

    /**
     * A DTLS datagram from this session's remote address (its remaining bytes; the position is left as it is).
     * Event loop; never blocks, never throws: a datagram that finds no room is dropped and counted.
     */
    public void onDatagram(ByteBuffer datagram) {
        try {
            if (!transport.offer(datagram)) {
                if (state.get() != State.CLOSED) {
                    stats.increment(DtlsStats.Counter.DATAGRAMS_DROPPED);
                }
                return;
            }
            if (state.get() == State.CONNECTED) {
                scheduleDrain();
            }
        } catch (RuntimeException e) {
            stats.increment(DtlsStats.Counter.DATAGRAMS_DROPPED);
            LOG.log(Level.FINE, "DTLS datagram from " + remote + " dropped", e);
        }
    }

    /**
     * Ends the session: a close_notify goes out if the handshake had completed, a handshake in progress is
     * abandoned (its thread ends it). Idempotent, any thread.
     */
    public void close() {
        closeRequested = true;
        if (state.get() == State.CONNECTED) {
            DTLSTransport t = dtls;
            try {
                t.close();
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.FINE, "close_notify to " + remote + " not sent", e);
            }
            end(DtlsCloseReason.CLOSED_LOCALLY);
        } else {
            // Wakes the handshake thread, whose receive then fails and ends the session.
            transport.close();
        }
    }

    /** Hands the handshake to the executor; false (nothing else done) if the executor refuses it. */
    boolean start(Executor executor) {
        this.executor = executor;
        // From the verified ClientHello, not from when a thread is free: a handshake queued too long fails at once.
        transport.startDeadline(System.nanoTime() + timeoutNanos);
        try {
            executor.execute(this::handshake);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    private void handshake() {
        DTLSTransport t;
        try {
            if (closeRequested) {
                throw new IOException("closed before the handshake started");
            }
            if (request != null) {
                t = new DTLSServerProtocol().accept(server, transport, request);
            } else {
                // The caller verified the address (ICE): no cookie exchange, and Bouncy Castle reassembles a
                // ClientHello sent in fragments from the queue.
                DTLSServerProtocol protocol = new DTLSServerProtocol();
                protocol.setVerifyRequests(false);
                t = protocol.accept(server, transport);
            }
        } catch (IOException | RuntimeException e) {
            DtlsCloseReason reason = failureReason(e);
            LOG.log(Level.FINE, "DTLS handshake with " + remote + " failed: " + reason, e);
            end(reason);
            return;
        }
        transport.clearDeadline();
        dtls = t;
        if (!state.compareAndSet(State.HANDSHAKING, State.CONNECTED)) {
            return;
        }
        stats.handshakeEnded();
        stats.increment(DtlsStats.Counter.HANDSHAKES_COMPLETED);
        if (closeRequested) {
            close();
            return;
        }
        try {
            listener.connected(this, server.keyingMaterial());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "DTLS session listener failed on connect of " + remote, e);
        }
        if (transport.hasQueued()) {
            scheduleDrain();
        }
    }

    private DtlsCloseReason failureReason(Exception e) {
        if (server.refusal() != null) {
            return server.refusal();
        }
        if (transport.deadlinePassed() || e instanceof TlsTimeoutException) {
            return DtlsCloseReason.TIMEOUT;
        }
        if (closeRequested) {
            return DtlsCloseReason.CLOSED_LOCALLY;
        }
        if (server.fatalAlertReceived()) {
            return DtlsCloseReason.ALERT_RECEIVED;
        }
        return DtlsCloseReason.HANDSHAKE_FAILED;
    }

    private void scheduleDrain() {
        if (draining.compareAndSet(false, true)) {
            try {
                executor.execute(drainTask);
            } catch (RejectedExecutionException e) {
                // The queued datagrams wait for the next one; DTLS retransmits, and nothing else is pending.
                draining.set(false);
            }
        }
    }

    /** Reads the queued records through the DTLS record layer, which answers retransmitted flights itself. */
    private void drain() {
        try {
            DTLSTransport t = dtls;
            if (applicationData == null) {
                applicationData = new byte[Math.max(1, t.getReceiveLimit())];
            }
            while (state.get() == State.CONNECTED && transport.hasQueued()) {
                int n;
                try {
                    // 1 ms: once the queue is empty, Bouncy Castle returns after one short wait.
                    n = t.receive(applicationData, 0, applicationData.length, 1);
                } catch (TlsFatalAlert e) {
                    if (server.fatalAlertReceived() || transport.isClosed()) {
                        throw e;
                    }
                    // A record failing its MAC or decoding is discarded, not fatal (RFC 6347 §4.1.2.7).
                    stats.increment(DtlsStats.Counter.INVALID_RECORDS);
                    continue;
                }
                if (n >= 0) {
                    stats.increment(DtlsStats.Counter.APPLICATION_DATA_DROPPED);
                }
                if (transport.isClosed()) {
                    end(server.fatalAlertReceived() ? DtlsCloseReason.ALERT_RECEIVED : DtlsCloseReason.PEER_CLOSED);
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            end(server.fatalAlertReceived() ? DtlsCloseReason.ALERT_RECEIVED
                    : closeRequested ? DtlsCloseReason.CLOSED_LOCALLY
                    : server.closeNotifyReceived() ? DtlsCloseReason.PEER_CLOSED : DtlsCloseReason.HANDSHAKE_FAILED);
            return;
        } finally {
            draining.set(false);
        }
        if (state.get() == State.CONNECTED && transport.hasQueued()) {
            scheduleDrain();
        }
    }

    private void end(DtlsCloseReason reason) {
        State before = state.getAndSet(State.CLOSED);
        if (before == State.CLOSED) {
            return;
        }
        transport.close();
        if (before == State.HANDSHAKING) {
            stats.handshakeEnded();
            stats.increment(DtlsStats.Counter.HANDSHAKES_FAILED);
        }
        switch (reason) {
            case FINGERPRINT_MISMATCH -> stats.increment(DtlsStats.Counter.FINGERPRINT_MISMATCHES);
            case SRTP_REFUSED -> stats.increment(DtlsStats.Counter.SRTP_REFUSED);
            case TIMEOUT -> stats.increment(DtlsStats.Counter.HANDSHAKE_TIMEOUTS);
            case ALERT_RECEIVED -> stats.increment(DtlsStats.Counter.ALERTS_RECEIVED);
            default -> { }
        }
        stats.sessionEnded();
        try {
            listener.closed(this, reason);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "DTLS session listener failed on close of " + remote, e);
        }
    }

    @Override
    public String toString() {
        return "DtlsSession[" + remote + ", " + state.get() + "]";
    }
}
