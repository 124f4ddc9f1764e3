package dev.switchboard.relay.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLEngine;

/**
 * One accepted TCP connection: the {@link Flow} its client's messages arrive on and replies leave by. Reads into
 * the loop's shared receive buffer, cuts whole frames out with the acceptor's {@link StreamFramer} and hands each to
 * the handler in place; only the bytes of a frame a read left unfinished move to a buffer borrowed from the
 * acceptor's pool, which the connection reads into until it is empty again and then gives back. So a connection
 * that has nothing to say, or says whole messages, holds no buffer at all. Replies are written at once; what the
 * socket does not take waits in a bounded buffer flushed on {@code OP_WRITE}, and a reply that does not fit there
 * is dropped whole (a partial message would corrupt the stream). Closes itself on a stream it cannot frame, on a handler failure, when its first message does not come in
 * time, and after its idle timeout: short until state is bound to it ({@link #addCloseListener}, a TURN allocation),
 * then the long one. Until then frames are bounded by {@link TcpOptions#UNBOUND_MAX_FRAME}.
 *
 * <p>A handler may turn the connection into one end of a {@link StreamSplice} (an RFC 6062 client data connection):
 * from then on it frames nothing, has no idle timeout, and its bytes, those already read behind the current message
 * included, go to the other end as they are.
 *
 * <p>On a TLS acceptor a {@link TlsSession} sits between the socket and these buffers: the read buffer then holds
 * plaintext, the write buffer ciphertext, and a splice reads and writes plaintext through the session.
 *
 * <p>Loop thread only, like every {@link Flow}.
 */
public final class TcpConnection implements Flow, LoopChannel, SpliceEnd {

    private final TcpAcceptor acceptor;
    private final EventLoop loop;
    private final SocketChannel channel;
    private final InetSocketAddress localAddress;
    private final InetSocketAddress remoteAddress;
    private final PacketHandler handler;
    private final StreamFramer framer;
    private final TransportCounters counters;
    private final int maxUnboundFrame;
    /** Null on plain TCP. */
    private final TlsSession tls;
    /**
     * Borrowed from the acceptor while a frame straddles reads (fill mode: the unfinished frame lies before the
     * position), else null.
     */
    private ByteBuffer pending;
    /** Made once spliced: what was read behind the switching message, and the splice's buffer from then on. */
    private ByteBuffer spliceInbound;
    private final int spliceBufferSize;
    private final int writeBufferSize;
    private final long firstMessageNanos;
    private final long idleNanos;
    private final long boundIdleNanos;
    private final LoopTimer idleTimer;
    private long openedAt;
    /** True once state lives as long as this connection (a TURN allocation): long timeout, frames up to the max. */
    private boolean bound;
    /** True while frames are handed out of a buffer, which a close then must not give back under the reader. */
    private boolean delivering;
    /** Made on the first reply the socket could not take at once: most connections never need it. */
    private ByteBuffer writeBuffer;
    private SelectionKey key;
    /** Made on the first registration: most connections have no one to tell. */
    private List<Runnable> closeListeners;
    private long lastActivity;
    // Until the first frame is through, the stream must prove it speaks STUN (see StreamFramer.checkStreamStart).
    private boolean started;
    /** An ICE-TCP stream: packets behind RFC 4571's two-byte length, both ways (plain TCP only). */
    private boolean framed;
    /** For a framed stream: the prefix of the packet being sent, and the gathering write of prefix and packet. */
    private ByteBuffer prefix;
    private ByteBuffer[] gather;
    /** Set once spliced: no more framing, readiness goes to the splice. */
    private StreamSplice splice;
    /** The interest the splice asked for; {@code OP_WRITE} is added while our own queued bytes wait. */
    private int spliceOps;
    /** Set by a handler that hands this connection to another loop: the acceptor there, which takes it on. */
    private TcpAcceptor movingTo;
    /** While moving: the plaintext from the message that moves it on, read again on the other loop. */
    private byte[] movedPlain;
    /** True on a connection another loop handed over: it moves no further. */
    private final boolean handedOver;
    private volatile boolean open = true;

    private TcpConnection(TcpAcceptor acceptor, SocketChannel channel, InetSocketAddress localAddress,
                          InetSocketAddress remoteAddress, TcpOptions options, Moved moved) {
        this.acceptor = acceptor;
        this.loop = acceptor.loop();
        this.channel = channel;
        this.localAddress = localAddress;
        this.remoteAddress = remoteAddress;
        this.handler = acceptor.handler();
        this.framer = acceptor.framer();
        this.counters = acceptor.counters();
        this.maxUnboundFrame = options.unboundMaxFrame();
        TlsContext tlsContext = acceptor.tls();
        this.tls = tlsContext == null ? null
                : new TlsSession(this, tlsContext, acceptor, loop, counters, moved == null ? null : moved.engine);
        this.handedOver = moved != null;
        this.spliceBufferSize = options.readBufferSize() + (tls == null ? 0 : TlsSession.readSlack(tlsContext));
        this.writeBufferSize = tls == null ? options.writeBufferSize()
                : TlsSession.writeCapacity(tlsContext, options.writeBufferSize());
        this.firstMessageNanos = options.firstMessageTimeout().toNanos();
        this.idleNanos = options.idleTimeout().toNanos();
        this.boundIdleNanos = options.boundIdleTimeout().toNanos();
        this.idleTimer = firstMessageNanos > 0 || idleNanos > 0 || boundIdleNanos > 0
                ? loop.newTimer(this::checkIdle) : null;
    }

    /** Sets up an accepted socket on the acceptor's loop; on the loop thread. */
    static TcpConnection open(TcpAcceptor acceptor, SocketChannel socket, InetSocketAddress remote,
                              TcpOptions options) throws IOException {
        socket.configureBlocking(false);
        // Requests and replies are single small messages: Nagle would only delay them.
        socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
        // Asked once here: each call makes a new address object.
        TcpConnection connection = new TcpConnection(acceptor, socket,
                (InetSocketAddress) socket.getLocalAddress(), remote, options, null);
        connection.key = acceptor.loop().register(socket, SelectionKey.OP_READ, connection);
        connection.openedAt = acceptor.loop().now();
        connection.lastActivity = connection.openedAt;
        connection.armTimer();
        if (connection.tls != null) {
            connection.tls.start();
        }
        return connection;
    }

    /**
     * Takes over on the acceptor's loop a connection another loop handed over ({@link #handOffTo}): registered for
     * reading, its first message through; {@link #resume} then reads again what the other loop had read.
     */
    static TcpConnection adopted(TcpAcceptor acceptor, Moved moved, TcpOptions options) throws IOException {
        TcpConnection connection = new TcpConnection(acceptor, moved.channel, moved.localAddress,
                moved.remoteAddress, options, moved);
        connection.started = true;
        connection.key = acceptor.loop().register(moved.channel, SelectionKey.OP_READ, connection);
        connection.openedAt = acceptor.loop().now();
        connection.lastActivity = connection.openedAt;
        connection.armTimer();
        return connection;
    }

    /** Reads the handed-over bytes as if they had just arrived here: the plaintext, then records not yet opened. */
    void resume(Moved moved) {
        ByteBuffer plain = ByteBuffer.wrap(moved.plain).position(moved.plain.length); // fill mode, as a read leaves it
        deliverPlaintext(plain);
        if (open && tls != null && moved.cipher.length > 0) {
            tls.resume(moved.cipher);
        }
    }

    /**
     * Hands this connection to the acceptor of the same listener on {@code target} (a member of this acceptor's
     * {@link AcceptorGroup}), for a handler that finds the message it is handling belongs to state on that loop (an
     * RFC 6062 ConnectionBind for another loop's peer connection). Call it from the handler, on this loop's thread,
     * and answer nothing: once the handler returns, the connection leaves this loop (its selector, its acceptor, its
     * timers) with that message, whatever was read behind it and, on TLS, the session; the target registers it and
     * handles that message as if it had arrived there. The connection stays counted against the shared limits.
     *
     * @return false, with nothing changed, when it cannot move: no member up on {@code target}, or the connection
     * carries more than a message (queued replies, state bound to it, a splice, ICE-TCP framing, a TLS session not
     * in its steady state), or was itself handed over
     */
    public boolean handOffTo(EventLoop target) {
        if (!delivering || !open || movingTo != null || splice != null || framed || handedOver || queued()
                || closeListeners != null || target == loop || (tls != null && !tls.canMove())) {
            return false;
        }
        TcpAcceptor to = acceptor.memberOn(target);
        if (to == null || to.protocol() != acceptor.protocol() || to.limits() != acceptor.limits()) {
            return false;
        }
        movingTo = to;
        return true;
    }

    /** True once a handler handed this connection to another loop: framing stops, the rest moves with it. */
    boolean moving() {
        return movingTo != null;
    }

    /** After the read that moved it: leaves this loop without closing the socket, and has the target take it on. */
    private void moveOn() {
        TcpAcceptor to = movingTo;
        Moved moved = new Moved(channel, localAddress, remoteAddress, movedPlain == null ? new byte[0] : movedPlain,
                tls == null ? null : tls.engine(), tls == null ? new byte[0] : tls.takeMovedCipher());
        movedPlain = null;
        open = false; // nothing on this loop touches the socket again
        if (idleTimer != null) {
            idleTimer.cancel();
        }
        if (tls != null) {
            tls.left();
        }
        acceptor.connectionLeft(this);
        key.cancel(); // a channel may be registered with another selector meanwhile
        to.handOver(moved);
    }

    /** A connection on its way from one loop to another: the socket and what was read but not yet handled. */
    static final class Moved {
        final SocketChannel channel;
        final InetSocketAddress localAddress;
        final InetSocketAddress remoteAddress;
        final byte[] plain;
        /** Null on plain TCP. */
        final SSLEngine engine;
        final byte[] cipher;

        Moved(SocketChannel channel, InetSocketAddress localAddress, InetSocketAddress remoteAddress, byte[] plain,
              SSLEngine engine, byte[] cipher) {
            this.channel = channel;
            this.localAddress = localAddress;
            this.remoteAddress = remoteAddress;
            this.plain = plain;
            this.engine = engine;
            this.cipher = cipher;
        }

        /** Nobody takes it on: closes the socket and counts it out of the limits it was let in under. */
        void discard(ConnectionLimits limits) {
            SocketSupport.closeQuietly(channel);
            limits.close(remoteAddress.getAddress());
        }
    }

    // ---- Flow

    @Override
    public Protocol protocol() {
        return tls == null ? Protocol.TCP : Protocol.TLS;
    }

    /** The server address the client connected to (the listener's, made specific when it binds a wildcard). */
    @Override
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    @Override
    public boolean send(ByteBuffer data, InetSocketAddress remote) {
        if (splice != null) {
            return dropSend(data); // a spliced stream carries its peer's bytes only
        }
        if (tls != null) {
            return tls.send(data); // encrypts, then comes back through write
        }
        if (framed ? writeFramed(data) : write(data)) {
            counters.increment(TransportCounters.PACKETS_OUT);
            return true;
        }
        return false;
    }

    /**
     * Writes bytes that go on the wire as they are (a message, or TLS records), whole or not at all; counts the
     * bytes, not the message.
     */
    boolean write(ByteBuffer data) {
        int length = data.remaining();
        if (!open) {
            return dropSend(data);
        }
        if (writeBuffer != null && writeBuffer.position() > 0) {
            // Earlier bytes are still queued: this message goes behind them, whole, or not at all.
            if (length > writeBuffer.remaining()) {
                return dropSend(data);
            }
            writeBuffer.put(data);
            counters.add(TransportCounters.BYTES_OUT, length);
            return true;
        }
        if (length > writeBufferSize) {
            return dropSend(data); // could never be queued, so never start writing it
        }
        try {
            channel.write(data);
        } catch (IOException e) {
            dropSend(data); // the client went away (see onReady)
            closeNow();
            return false;
        }
        if (data.hasRemaining()) {
            if (writeBuffer == null) {
                writeBuffer = ByteBuffer.allocateDirect(writeBufferSize);
            }
            writeBuffer.put(data);
            key.interestOps((splice == null ? SelectionKey.OP_READ : spliceOps) | SelectionKey.OP_WRITE);
        }
        counters.add(TransportCounters.BYTES_OUT, length);
        return true;
    }

    /** As {@link #write}, behind RFC 4571's length: the prefix and the packet go whole, or neither. */
    private boolean writeFramed(ByteBuffer data) {
        int length = data.remaining();
        if (!open || length > 0xFFFF) {
            return dropSend(data);
        }
        prefix.clear();
        prefix.putShort((short) length).flip();
        int total = StreamFramer.PREFIX_LENGTH + length;
        if (writeBuffer != null && writeBuffer.position() > 0) {
            if (total > writeBuffer.remaining()) {
                return dropSend(data);
            }
            writeBuffer.put(prefix).put(data);
            counters.add(TransportCounters.BYTES_OUT, total);
            return true;
        }
        if (total > writeBufferSize) {
            return dropSend(data);
        }
        gather[0] = prefix;
        gather[1] = data;
        try {
            channel.write(gather);
        } catch (IOException e) {
            dropSend(data);
            closeNow();
            return false;
        } finally {
            gather[1] = null;
        }
        if (prefix.hasRemaining() || data.hasRemaining()) {
            if (writeBuffer == null) {
                writeBuffer = ByteBuffer.allocateDirect(writeBufferSize);
            }
            writeBuffer.put(prefix).put(data);
            key.interestOps((splice == null ? SelectionKey.OP_READ : spliceOps) | SelectionKey.OP_WRITE);
        }
        counters.add(TransportCounters.BYTES_OUT, total);
        return true;
    }

    /** The most bytes {@link #write} would take now. */
    int writeRoom() {
        if (!open) {
            return 0;
        }
        return queued() ? writeBuffer.remaining() : writeBufferSize;
    }

    /** True while bytes wait in the write buffer for the socket. */
    boolean queued() {
        return writeBuffer != null && writeBuffer.position() > 0;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        loop.runOnLoop(this::closeNow);
    }

    @Override
    public boolean addCloseListener(Runnable action) {
        Objects.requireNonNull(action, "action");
        if (!open) {
            return false;
        }
        if (closeListeners == null) {
            closeListeners = new ArrayList<>(2);
        }
        closeListeners.add(action);
        // Whoever ties state to the connection (an allocation) expects it to live: from now on the long timeout
        // and frames of any size. A stranger cannot get here without authenticating.
        bound = true;
        return true;
    }

    @Override
    public String toString() {
        return (tls == null ? "tcp/" : "tls/") + SocketSupport.format(remoteAddress) + "->"
                + SocketSupport.format(localAddress);
    }

    // ---- LoopChannel

    @Override
    public void onReady(SelectionKey key) {
        int ready = key.readyOps();
        try {
            if (splice != null) {
                spliceReady(ready);
                return;
            }
            if ((ready & SelectionKey.OP_WRITE) != 0) {
                flush();
            }
            if (open && (ready & SelectionKey.OP_READ) != 0) {
                read();
            }
        } catch (IOException e) {
            // Reset or broken pipe: the client went away, which is traffic, not a fault worth a log line.
            closeNow();
        }
    }

    /** A failure on a stream leaves its framing unknown, so the stream goes. */
    @Override
    public void onFailure(Throwable failure) {
        counters.increment(TransportCounters.ERRORS);
        closeNow();
    }

    @Override
    public void closeNow() {
        if (!open) {
            return;
        }
        open = false;
        if (idleTimer != null) {
            idleTimer.cancel();
        }
        if (!delivering) {
            releasePending(); // else the reader gives it back once it lets go (settle)
        }
        // Counted out first: whoever sees the socket close then also sees the count drop.
        acceptor.connectionClosed(this);
        if (key != null) {
            key.cancel();
        }
        if (tls != null) {
            tls.closing(channel, queued());
        }
        SocketSupport.closeQuietly(channel);
        notifyClosed();
    }

    /** After the socket is gone, so a listener sees a closed flow; one failing listener does not stop the others. */
    private void notifyClosed() {
        List<Runnable> listeners = closeListeners;
        closeListeners = null;
        loop.runEach(listeners, this);
    }

    // ---- reading

    private void read() throws IOException {
        // TLS reads ciphertext into the session's buffer; plain TCP the unfinished frame's buffer or the loop's.
        ByteBuffer in = tls != null ? tls.netIn() : pending != null ? pending : loop.receiveBuffer().clear();
        int n = channel.read(in);
        if (n < 0) {
            closeNow(); // the client is done
            return;
        }
        if (n == 0) {
            return;
        }
        counters.add(TransportCounters.BYTES_IN, n);
        if (tls != null) {
            tls.onRead(); // decrypts into plaintextBuffer(), calling deliverPlaintext
        } else {
            deliverPlaintext(in);
        }
        if (movingTo != null && open) {
            moveOn();
        }
    }

    /**
     * Where the TLS session decrypts into, ready to be written to: the unfinished frame's buffer if there is one,
     * else the acceptor's shared one.
     */
    ByteBuffer plaintextBuffer() {
        return pending != null ? pending : acceptor.tlsPlainBuffer().clear();
    }

    /**
     * Hands the whole frames in {@code buffer} (fill mode: the bytes lie before its position) to the handler, then
     * keeps what is left of an unfinished frame in a borrowed buffer, or gives the borrowed one back once empty.
     */
    void deliverPlaintext(ByteBuffer buffer) {
        buffer.flip();
        delivering = true;
        try {
            deliverFrames(buffer);
        } finally {
            delivering = false;
        }
        settle(buffer);
    }

    /** True once a splice took over: no more frames, the rest of the stream is raw bytes. */
    boolean spliced() {
        return splice != null;
    }

    /** True once the rest of the stream is no longer framed here: spliced, or moving to another loop. */
    boolean framingStopped() {
        return splice != null || movingTo != null;
    }

    private void settle(ByteBuffer buffer) {
        boolean borrowed = buffer == pending;
        if (!open) {
            releasePending();
            return;
        }
        if (movingTo != null) {
            // The moving message and what follows it are read again on the other loop.
            movedPlain = new byte[buffer.remaining()];
            buffer.get(movedPlain);
            releasePending();
            return;
        }
        if (splice != null) {
            // The bytes behind the switching message belong to the splice, which reads into a buffer of its own.
            spliceInbound = ByteBuffer.allocateDirect(spliceBufferSize);
            spliceInbound.put(buffer);
            releasePending();
            return;
        }
        if (borrowed) {
            buffer.compact();
            if (buffer.position() == 0) {
                releasePending();
            } else {
                fitPending();
            }
            return;
        }
        if (buffer.hasRemaining()) {
            ByteBuffer held = borrow(announcedLength(buffer));
            if (held != null) {
                pending = held.put(buffer);
            }
        }
    }

    /**
     * Moves the unfinished frame to a larger buffer if it announces more than its buffer holds (its header came in
     * after it was borrowed, or the connection was bound meanwhile).
     */
    private void fitPending() {
        ByteBuffer held = pending;
        held.flip();
        int announced = announcedLength(held);
        int room = held.capacity() - (tls == null ? 0 : TlsSession.readSlack(tls.context()));
        if (announced <= room) {
            held.position(held.limit()).limit(held.capacity());
            return;
        }
        ByteBuffer larger = acceptor.framePool(announced).borrow();
        if (larger == null) {
            held.position(held.limit()).limit(held.capacity());
            poolExhausted();
            return;
        }
        larger.put(held);
        pending = larger;
        acceptor.framePoolOf(held).release(held);
    }

    /** The wire length the frame at the buffer's position announces, in this stream's framing. */
    private int announcedLength(ByteBuffer buf) {
        if (!framed) {
            return StreamFramer.announcedLength(buf);
        }
        return buf.remaining() < StreamFramer.PREFIX_LENGTH ? StreamFramer.NEED_MORE
                : StreamFramer.PREFIX_LENGTH + (buf.getShort(buf.position()) & 0xFFFF);
    }

    /** A buffer for an unfinished frame of {@code announced} bytes (unknown: 0 or less); null if none was left. */
    private ByteBuffer borrow(int announced) {
        ByteBuffer held = acceptor.framePool(Math.max(0, announced)).borrow();
        if (held == null) {
            poolExhausted();
        }
        return held;
    }

    /** Nothing left to lend: this connection goes rather than memory running out; the others are served on. */
    private void poolExhausted() {
        counters.increment(TransportCounters.POOL_EXHAUSTED);
        closeNow();
    }

    private void releasePending() {
        ByteBuffer held = pending;
        if (held != null) {
            pending = null;
            acceptor.framePoolOf(held).release(held);
        }
    }

    private void deliverFrames(ByteBuffer buffer) {
        ByteBuffer scratch = loop.scratchBuffer();
        // Spliced by the handler: the rest of the buffer is raw bytes; moved: it is read again on another loop.
        while (open && splice == null && movingTo == null) {
            if (!started) {
                int start = StreamFramer.checkStreamStart(buffer);
                if (start == StreamFramer.NEED_MORE) {
                    return;
                }
                if (start == StreamFramer.MALFORMED || start == StreamFramer.FRAMED_STREAM && tls != null) {
                    counters.increment(TransportCounters.MALFORMED);
                    closeNow();
                    return;
                }
                if (start == StreamFramer.FRAMED_STREAM && !framed) {
                    framed = true;
                    prefix = ByteBuffer.allocate(StreamFramer.PREFIX_LENGTH);
                    gather = new ByteBuffer[2];
                }
            }
            int frame = framed ? framer.framedLength(buffer, bound ? Integer.MAX_VALUE : maxUnboundFrame)
                    : framer.frameLength(buffer, bound ? Integer.MAX_VALUE : maxUnboundFrame);
            if (frame == StreamFramer.NEED_MORE) {
                return;
            }
            if (frame == StreamFramer.MALFORMED) {
                // No way to find the next message boundary (or larger than allowed): the rest is noise.
                counters.increment(TransportCounters.MALFORMED);
                closeNow();
                return;
            }
            started = true;
            lastActivity = loop.now(); // a whole message: proof of life, where a trickle of bytes is none
            int start = buffer.position();
            int limit = buffer.limit();
            if (framed) {
                if (frame == StreamFramer.PREFIX_LENGTH) {
                    buffer.position(start + frame); // an empty packet: nothing to hand on
                    continue;
                }
                buffer.position(start + StreamFramer.PREFIX_LENGTH).limit(start + frame);
            } else {
                buffer.limit(start + StreamFramer.messageLength(buffer));
            }
            counters.increment(TransportCounters.PACKETS_IN);
            scratch.clear();
            dispatch(buffer, scratch);
            // Whatever the handler did to position and limit, the next frame starts after this one's padding; a
            // message that moved the connection is handled again, from its start, on the other loop.
            buffer.limit(limit).position(movingTo != null ? start : start + frame);
        }
    }

    private void dispatch(ByteBuffer message, ByteBuffer scratch) {
        Outcome outcome;
        try {
            outcome = handler.handle(message, remoteAddress, this, scratch);
        } catch (VirtualMachineError fatal) {
            throw fatal;
        } catch (Throwable failure) {
            loop.reportError(this, failure);
            onFailure(failure);
            return;
        }
        if (outcome == null) {
            counters.increment(TransportCounters.ERRORS);
        } else {
            counters.count(outcome);
        }
    }

    // ---- writing

    private void flush() throws IOException {
        if (writeBuffer == null || writeBuffer.position() == 0) {
            key.interestOps(SelectionKey.OP_READ);
            return;
        }
        writeBuffer.flip();
        try {
            channel.write(writeBuffer);
        } finally {
            writeBuffer.compact();
        }
        if (writeBuffer.position() == 0) {
            key.interestOps(SelectionKey.OP_READ); // all out: stop asking, OP_WRITE would fire every turn
        }
    }

    boolean dropSend(ByteBuffer data) {
        counters.increment(TransportCounters.SEND_DROPPED);
        data.position(data.limit());
        return false;
    }

    // ---- spliced (SpliceEnd)

    @Override
    public void attach(StreamSplice splice) {
        this.splice = splice;
        if (idleTimer != null) {
            idleTimer.cancel(); // a data connection lives as long as its peer's, whether or not bytes flow
        }
    }

    @Override
    public ByteBuffer inbound() {
        if (spliceInbound == null) {
            spliceInbound = ByteBuffer.allocateDirect(spliceBufferSize); // spliced outside a read of ours
        }
        return spliceInbound;
    }

    @Override
    public int readRaw(ByteBuffer dst) throws IOException {
        if (tls != null) {
            return tls.readPlain(channel, dst); // counts what it reads from the socket itself
        }
        int n = channel.read(dst);
        if (n > 0) {
            counters.add(TransportCounters.BYTES_IN, n);
        }
        return n;
    }

    @Override
    public int writeRaw(ByteBuffer src) throws IOException {
        if (writeBuffer != null && writeBuffer.position() > 0) {
            flushQueued(); // a reply queued before the splice goes first
            if (writeBuffer.position() > 0) {
                return 0;
            }
        }
        if (tls != null) {
            return tls.writePlain(src);
        }
        int n = channel.write(src);
        counters.add(TransportCounters.BYTES_OUT, n);
        return n;
    }

    @Override
    public void interest(int ops) {
        spliceOps = ops;
        if (open) {
            key.interestOps(writeBuffer != null && writeBuffer.position() > 0 ? ops | SelectionKey.OP_WRITE : ops);
        }
    }

    private void spliceReady(int ready) throws IOException {
        if ((ready & SelectionKey.OP_WRITE) != 0 && writeBuffer != null && writeBuffer.position() > 0) {
            flushQueued();
            if (writeBuffer.position() == 0) {
                key.interestOps(spliceOps);
            }
        }
        splice.onReady(this, ready);
    }

    private void flushQueued() throws IOException {
        writeBuffer.flip();
        try {
            channel.write(writeBuffer);
        } finally {
            writeBuffer.compact();
        }
    }

    // ---- first-message and idle timeouts

    private void armTimer() {
        long deadline = deadline();
        if (idleTimer != null && deadline != Long.MAX_VALUE) {
            idleTimer.scheduleAt(deadline);
        }
    }

    /**
     * When the connection is to be closed if nothing changes; {@link Long#MAX_VALUE} for never. Before its first
     * message the clock runs from the accept, so bytes that never make a message (a partial header, a huge
     * announced frame, a TLS session that says nothing) do not hold it open.
     */
    private long deadline() {
        if (!started) {
            long t = shortest(firstMessageNanos, idleNanos);
            return t == 0 ? Long.MAX_VALUE : openedAt + t;
        }
        long t = bound ? boundIdleNanos : idleNanos;
        return t == 0 ? Long.MAX_VALUE : lastActivity + t;
    }

    private static long shortest(long a, long b) {
        return a == 0 ? b : b == 0 ? a : Math.min(a, b);
    }

    /**
     * Fires at the earliest time the connection could be idle. Messages only stamp {@code lastActivity} (no timer
     * work per packet), so a connection that was active meanwhile just re-arms for its new deadline.
     */
    private void checkIdle() {
        if (!open || splice != null) {
            return;
        }
        long deadline = deadline();
        if (deadline == Long.MAX_VALUE) {
            return;
        }
        if (deadline - loop.now() <= 0) {
            counters.increment(TransportCounters.CONNECTIONS_TIMED_OUT);
            closeNow();
        } else {
            idleTimer.scheduleAt(deadline);
        }
    }
}
