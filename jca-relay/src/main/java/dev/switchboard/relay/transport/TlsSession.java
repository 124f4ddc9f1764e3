package dev.switchboard.relay.transport;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The TLS layer of one accepted connection (TURN over TLS): a non-blocking {@link SSLEngine} driven on the loop
 * thread. Records are read into a buffer the acceptor shares and unwrapped into another it shares, where frames are
 * cut exactly as on plain TCP; only a record a read left unfinished moves to a buffer borrowed from the acceptor's
 * pool (given back once it is used up), as an unfinished frame does on the connection. A session that has nothing to
 * say holds no buffer: the engine's state is all it costs. Outgoing messages are
 * wrapped into a buffer the acceptor shares among its connections (one thread uses it, and each use writes it out
 * or queues it before returning), then take the connection's bounded write path. The engine's delegated tasks (key
 * exchange, signature) run inline: a millisecond or so of CPU, no I/O.
 *
 * <p>A client that sends something other than TLS records, fails its handshake or does not finish it within the
 * context's timeout is closed and counted; the listener serves on. Loop thread only.
 */
final class TlsSession {

    private static final Logger LOG = Logger.getLogger(TlsSession.class.getName());
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    private static final int RECORD_HEADER = 5;
    /** The most plaintext one record carries (RFC 8446 §5.1). */
    private static final int MAX_PLAINTEXT = 16_384;

    private final TcpConnection connection;
    private final TlsContext context;
    private final SSLEngine engine;
    private final TransportCounters counters;
    /**
     * The acceptor's, records as received. Heap, not direct: the JDK's ciphers copy a direct buffer into a temporary
     * array on each record, which measured a few hundred bytes more garbage per record than the socket's copy into a
     * heap one.
     */
    private final ByteBuffer sharedIn;
    private final BufferPool recordPool;
    /**
     * An unfinished record (fill mode), borrowed from {@link #recordPool}; or, once spliced, the session's own
     * buffer for good ({@link #dedicated}). Null while no record is unfinished.
     */
    private ByteBuffer held;
    private boolean dedicated;
    /** The buffer the last read went into: {@link #held} or {@link #sharedIn}. */
    private ByteBuffer netIn;
    /** True while {@link #netIn} is being processed: a close then leaves {@link #held} to {@link #settleIn}. */
    private boolean reading;
    /** The acceptor's, shared by its connections: wrap output on its way to the socket or the write buffer. */
    private final ByteBuffer netOut;
    private final LoopTimer handshakeTimer;
    private boolean established;
    /** While the connection moves to another loop: the records read but not yet opened, which move with it. */
    private byte[] movedCipher;

    /** @param moved the session of a connection handed over from another loop, established; null for a new one */
    TlsSession(TcpConnection connection, TlsContext context, TcpAcceptor acceptor, EventLoop loop,
               TransportCounters counters, SSLEngine moved) {
        this.connection = connection;
        this.context = context;
        this.engine = moved != null ? moved : context.newEngine();
        this.established = moved != null;
        this.counters = counters;
        this.sharedIn = acceptor.tlsInBuffer();
        this.recordPool = acceptor.recordPool();
        this.netOut = acceptor.tlsOutBuffer();
        this.handshakeTimer = loop.newTimer(this::handshakeExpired);
    }

    /** Room the connection's plaintext buffer needs beyond its largest frame, so one record always fits. */
    static int readSlack(TlsContext context) {
        return context.applicationBufferSize();
    }

    /** The write buffer that holds the largest message a plain connection would hold, once encrypted. */
    static int writeCapacity(TlsContext context, int plaintextCapacity) {
        return context.maxCiphertext(plaintextCapacity);
    }

    /** The size of the buffer an acceptor shares for wrapping: any message its connections may queue, encrypted. */
    static int sharedOutCapacity(TlsContext context, int plaintextCapacity) {
        // The engine refuses to wrap into less than a whole packet buffer, however small the message.
        return Math.max(writeCapacity(context, plaintextCapacity), context.packetBufferSize());
    }

    /** The client speaks first (ClientHello); until it is done, only the clock runs. */
    void start() {
        handshakeTimer.schedule(context.handshakeTimeout());
    }

    boolean isEstablished() {
        return established;
    }

    TlsContext context() {
        return context;
    }

    /**
     * Whether the session can move to another loop with its connection: established, in no handshake (a KeyUpdate
     * or renegotiation would leave state half here), open both ways.
     */
    boolean canMove() {
        return established && !dedicated && engine.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING
                && !engine.isInboundDone() && !engine.isOutboundDone();
    }

    /** The engine, for the session that takes over on another loop: only one thread uses it at a time. */
    SSLEngine engine() {
        return engine;
    }

    /** The records read but not opened when the connection began to move (empty if none); once. */
    byte[] takeMovedCipher() {
        byte[] cipher = movedCipher == null ? new byte[0] : movedCipher;
        movedCipher = null;
        return cipher;
    }

    /** The connection left this loop: stops the clock and gives back what it borrowed here. */
    void left() {
        handshakeTimer.cancel();
        if (!reading) {
            releaseHeld();
        }
    }

    /** On the loop that took the connection over: reads the records that moved with it, as if just received. */
    void resume(byte[] cipher) {
        netIn().put(cipher); // a held record fits a buffer of the same size here
        onRead();
    }

    /** Where the connection reads socket bytes into: after the unfinished record if there is one. */
    ByteBuffer netIn() {
        netIn = held != null ? held : sharedIn.clear();
        return netIn;
    }

    /** Bytes arrived in {@link #netIn}: moves the handshake on and hands plaintext to the connection. */
    void onRead() {
        netIn.flip();
        reading = true;
        try {
            process(null, true);
        } catch (NotTlsException e) {
            // Plain STUN, HTTP or noise on the TLS port: nothing to answer in TLS, so just close.
            failed(e, false);
        } catch (SSLException e) {
            failed(e, true);
        } finally {
            reading = false;
            settleIn();
        }
    }

    /** After a read: keeps an unfinished record in a borrowed buffer, or gives the borrowed one back once empty. */
    private void settleIn() {
        ByteBuffer in = netIn;
        if (!connection.isOpen()) {
            releaseHeld();
            return;
        }
        if (connection.moving()) {
            movedCipher = new byte[in.remaining()];
            in.get(movedCipher);
            releaseHeld();
            return;
        }
        if (in == held) {
            in.compact();
            if (in.position() == 0 && !dedicated) {
                releaseHeld();
            }
            return;
        }
        if (in.hasRemaining()) {
            ByteBuffer buffer;
            if (connection.spliced()) {
                buffer = ByteBuffer.allocate(context.packetBufferSize()); // the splice reads on from here
                dedicated = true;
            } else {
                buffer = recordPool.borrow();
            }
            if (buffer == null) {
                counters.increment(TransportCounters.POOL_EXHAUSTED);
                connection.closeNow();
                return;
            }
            held = buffer.put(in);
        }
    }

    private void releaseHeld() {
        ByteBuffer buffer = held;
        held = null;
        if (buffer != null && !dedicated) {
            recordPool.release(buffer);
        }
    }

    /** For a splice: the session's own record buffer from now on, with what was held moved in. */
    private ByteBuffer spliceIn() {
        if (!dedicated) {
            ByteBuffer own = ByteBuffer.allocate(context.packetBufferSize());
            if (held != null) {
                held.flip();
                own.put(held);
                releaseHeld();
            }
            held = own;
            dedicated = true;
        }
        netIn = held;
        return held;
    }

    /**
     * Encrypts and sends one message whole, or drops it whole (counted) when the write buffer could not take it:
     * the engine numbers records, so ciphertext once made must go out.
     */
    boolean send(ByteBuffer data) {
        if (!established || !connection.isOpen()
                || context.maxCiphertext(data.remaining()) > connection.writeRoom()) {
            return connection.dropSend(data);
        }
        ByteBuffer out = netOut;
        out.clear();
        SSLEngineResult result = null;
        try {
            while (data.hasRemaining()) {
                result = engine.wrap(data, out);
                if (result.getStatus() != SSLEngineResult.Status.OK) {
                    break;
                }
            }
        } catch (SSLException e) {
            connection.dropSend(data);
            failed(e, true);
            return false;
        }
        out.flip();
        if (data.hasRemaining()) {
            connection.dropSend(data); // the engine closed under us: whatever follows is lost anyway
            connection.closeNow();
            return false;
        }
        boolean sent = connection.write(out);
        if (sent) {
            counters.increment(TransportCounters.PACKETS_OUT);
        }
        if (result != null && result.getHandshakeStatus() != HandshakeStatus.NOT_HANDSHAKING) {
            flushHandshake(); // something of the engine's own to say, e.g. an answer to a KeyUpdate
        }
        return sent;
    }

    /**
     * For a splice: decrypts into {@code dst} what whole records there are, reading the socket only when none is
     * buffered (so no record waits in {@link #netIn} for a read that may never come). Counts the bytes read.
     *
     * @return plaintext bytes added to {@code dst}; -1 at the end of the stream or after the client's close_notify
     */
    int readPlain(SocketChannel channel, ByteBuffer dst) throws IOException {
        int start = dst.position();
        ByteBuffer netIn = spliceIn();
        netIn.flip();
        try {
            if (!wholeRecordBuffered()) {
                netIn.compact();
                int n;
                try {
                    n = channel.read(netIn);
                } finally {
                    netIn.flip();
                }
                if (n < 0) {
                    return -1;
                }
                counters.add(TransportCounters.BYTES_IN, n);
            }
            process(dst, false);
        } catch (SSLException e) {
            counters.increment(TransportCounters.MALFORMED);
            throw e; // the splice closes both ends
        } finally {
            netIn.compact();
        }
        int produced = dst.position() - start;
        return produced == 0 && engine.isInboundDone() ? -1 : produced;
    }

    /**
     * For a splice: encrypts from {@code src} a record at a time while nothing of ours waits to be written, and
     * writes it; what the socket does not take waits in the connection's write buffer (room for a record is there
     * whenever it is empty), which holds the splice back until it drains.
     *
     * @return plaintext bytes taken from {@code src}
     */
    int writePlain(ByteBuffer src) throws IOException {
        int start = src.position();
        while (src.hasRemaining() && connection.isOpen() && !connection.queued()) {
            ByteBuffer out = netOut;
            out.clear();
            int limit = src.limit();
            src.limit(src.position() + Math.min(src.remaining(), MAX_PLAINTEXT));
            SSLEngineResult result;
            try {
                result = engine.wrap(src, out);
            } finally {
                src.limit(limit);
            }
            out.flip();
            if (out.hasRemaining() && !connection.write(out)) {
                throw new IOException(connection + ": no room for a TLS record");
            }
            if (result.getStatus() != SSLEngineResult.Status.OK) {
                throw new SSLException(connection + ": TLS closed while relaying (" + result.getStatus() + ")");
            }
            if (result.getHandshakeStatus() != HandshakeStatus.NOT_HANDSHAKING) {
                flushHandshake();
            }
        }
        return src.position() - start;
    }

    /**
     * The connection is closing: stops the clock and, on an established session with nothing queued before it,
     * sends close_notify if the socket takes it at once.
     */
    void closing(SocketChannel channel, boolean queued) {
        handshakeTimer.cancel();
        if (!reading) {
            releaseHeld(); // else onRead gives it back as it lets go
        }
        if (!established || queued || engine.isOutboundDone()) {
            return;
        }
        engine.closeOutbound();
        // Its own buffer: a close may happen while the shared one holds another message (a close listener sending).
        ByteBuffer out = ByteBuffer.allocate(context.packetBufferSize());
        try {
            engine.wrap(EMPTY, out);
            out.flip();
            channel.write(out);
        } catch (IOException ignored) {
            // best effort: the socket closes next anyway
        }
    }

    // ---- the engine

    /**
     * Moves the engine on with what {@link #netIn} holds: handshake steps, and records decrypted into {@code plain}.
     * With {@code deliver} (framing) the connection cuts frames after each record; without (a splice reading) it
     * stops while {@code plain} lacks room for another record. Framing stops as soon as a handler splices the
     * connection: the records behind are the splice's to read.
     */
    private void process(ByteBuffer plain, boolean deliver) throws SSLException {
        while (connection.isOpen() && (!deliver || !connection.framingStopped())) {
            HandshakeStatus status = engine.getHandshakeStatus();
            if (status == HandshakeStatus.NEED_TASK) {
                runDelegatedTasks();
            } else if (status == HandshakeStatus.NEED_WRAP) {
                if (!wrapHandshake()) {
                    return;
                }
            } else if ((!deliver && plain.remaining() < context.applicationBufferSize())
                    || !unwrapRecord(deliver ? connection.plaintextBuffer() : plain, deliver)) {
                return;
            }
        }
    }

    /** Unwraps one whole record if one is buffered; false when there is none or the connection closed. */
    private boolean unwrapRecord(ByteBuffer plain, boolean deliver) throws SSLException {
        if (!wholeRecordBuffered()) {
            return false;
        }
        SSLEngineResult result = engine.unwrap(netIn, plain);
        switch (result.getStatus()) {
            case OK -> {
                if (result.getHandshakeStatus() == HandshakeStatus.FINISHED) {
                    handshakeDone();
                }
                if (deliver && result.bytesProduced() > 0) {
                    connection.deliverPlaintext(plain);
                }
                // A record the engine did not take, and nothing for it to do meanwhile: wait for more bytes.
                return result.bytesConsumed() > 0 || engine.getHandshakeStatus() == HandshakeStatus.NEED_TASK
                        || engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP;
            }
            case CLOSED -> {
                if (deliver) {
                    connection.closeNow(); // the client's close_notify; ours goes out as the connection closes
                }
                return false; // a splice sees the end of the stream (readPlain) and closes both ends
            }
            case BUFFER_UNDERFLOW -> {
                return false;
            }
            default -> {
                // BUFFER_OVERFLOW: cannot happen while the read buffer keeps a record's room free (readSlack).
                throw new SSLException("no room for a record's plaintext");
            }
        }
    }

    /**
     * True when {@link #netIn} holds a whole record. Checks the header itself so that bytes that are no TLS are
     * turned away at the first byte, and a record is only handed to the engine once it can be processed.
     */
    private boolean wholeRecordBuffered() throws NotTlsException {
        int available = netIn.remaining();
        if (available == 0) {
            return false;
        }
        int at = netIn.position();
        int type = netIn.get(at) & 0xFF;
        if (type < 20 || type > 24) { // change_cipher_spec, alert, handshake, application_data, heartbeat
            throw new NotTlsException("first byte 0x" + Integer.toHexString(type) + " starts no TLS record");
        }
        if (available < RECORD_HEADER) {
            return false;
        }
        int length = netIn.getShort(at + 3) & 0xFFFF;
        if (netIn.get(at + 1) != 3 || RECORD_HEADER + length > TlsContext.MAX_RECORD_LENGTH) {
            throw new NotTlsException("no TLS record header");
        }
        return available >= RECORD_HEADER + length;
    }

    /** Wraps what the handshake has to send and writes it; false once the connection closed. */
    private boolean wrapHandshake() throws SSLException {
        ByteBuffer out = netOut;
        out.clear();
        SSLEngineResult result = engine.wrap(EMPTY, out);
        out.flip();
        if (out.hasRemaining() && !connection.write(out)) {
            connection.closeNow(); // a handshake message lost is a broken stream
            return false;
        }
        if (result.getHandshakeStatus() == HandshakeStatus.FINISHED) {
            handshakeDone();
        }
        if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
            connection.closeNow();
            return false;
        }
        if (result.getStatus() != SSLEngineResult.Status.OK) {
            throw new SSLException("cannot wrap a handshake message: " + result.getStatus());
        }
        return true;
    }

    /** Sends what the engine asks to after an application write (post-handshake messages). */
    private void flushHandshake() {
        try {
            HandshakeStatus status;
            while (connection.isOpen()
                    && ((status = engine.getHandshakeStatus()) == HandshakeStatus.NEED_WRAP
                    || status == HandshakeStatus.NEED_TASK)) {
                if (status == HandshakeStatus.NEED_TASK) {
                    runDelegatedTasks();
                } else if (!wrapHandshake()) {
                    return;
                }
            }
        } catch (SSLException e) {
            failed(e, true);
        }
    }

    private void runDelegatedTasks() throws SSLException {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
        if (engine.getHandshakeStatus() == HandshakeStatus.NEED_UNWRAP) {
            // A task that failed (a ClientHello that parses as nonsense) leaves the engine waiting for input and
            // keeps its exception for the next call: make that call now rather than at the handshake timeout.
            engine.unwrap(EMPTY, EMPTY);
        }
    }

    private void handshakeDone() {
        if (!established) {
            established = true;
            handshakeTimer.cancel();
            counters.increment(TransportCounters.TLS_HANDSHAKES);
        }
    }

    private void handshakeExpired() {
        if (!established && connection.isOpen()) {
            counters.increment(TransportCounters.TLS_HANDSHAKE_FAILURES);
            counters.increment(TransportCounters.CONNECTIONS_TIMED_OUT);
            connection.closeNow();
        }
    }

    /**
     * A client that is no TLS peer or broke the protocol: counted (as malformed input, and as a failed handshake
     * if it had not finished one), told why if the engine has an alert for it, and closed. Traffic, not a fault of
     * ours, so logged at FINE only.
     */
    private void failed(SSLException failure, boolean alert) {
        counters.increment(TransportCounters.MALFORMED);
        if (!established) {
            counters.increment(TransportCounters.TLS_HANDSHAKE_FAILURES);
        }
        LOG.log(Level.FINE, failure, () -> connection + ": TLS failed: " + failure.getMessage());
        if (alert && connection.isOpen()) {
            try {
                netOut.clear();
                engine.wrap(EMPTY, netOut);
                netOut.flip();
                if (netOut.hasRemaining()) {
                    connection.write(netOut);
                }
            } catch (SSLException ignored) {
                // no alert then
            }
        }
        connection.closeNow();
    }

    /** Bytes on a TLS port that cannot be the start of a TLS record. */
    private static final class NotTlsException extends SSLException {
        NotTlsException(String reason) {
            super(reason);
        }
    }
}
