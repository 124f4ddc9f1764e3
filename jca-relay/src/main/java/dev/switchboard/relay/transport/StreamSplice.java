package dev.switchboard.relay.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Two stream connections joined into one byte pipe, both ways (an RFC 6062 client data connection and its peer data
 * connection). Each direction moves bytes through the buffer of the end they were read from: read, written to the
 * other end at once, and when the other end's socket buffer is full the rest waits there and the reading end stops
 * being read ({@code OP_READ} off, {@code OP_WRITE} on the other end) until it drains. So memory stays at one buffer
 * per end, TCP's own window pushes back on the sender, and nothing is allocated per read. The observer may also ask
 * for a pause after a read (a bandwidth cap): what was read waits, and that end is not read, until a timer says so;
 * TCP pushes back the same way. When either end closes or reaches the end of its stream, both are closed. Loop thread only.
 */
public final class StreamSplice {

    /** Reads per wakeup and direction before the loop serves its other sockets. */
    private static final int MAX_READS_PER_WAKEUP = 16;

    /** Told what crosses the splice; called on the loop thread, must not block. */
    public interface Observer {

        /**
         * {@code bytes} were read from the first end (towards the second) or from the second (towards the first).
         *
         * @return nanoseconds to wait before that end is read again (a rate limit), or 0 to go on at once
         */
        long relayed(boolean fromFirst, int bytes);

        /** Both ends are closed; called once. */
        void closed();
    }

    /** One end and what the splice wants of its selection key. */
    private static final class Side {
        final SpliceEnd end;
        final LoopTimer resume;
        /** Not read because the other end cannot take more. */
        boolean held;
        /** Not read until {@link #resume} fires: the observer asked for a pause. */
        boolean paused;
        /** Bytes from the other end wait for this one to be writable. */
        boolean writeWanted;
        int ops = -1;

        Side(SpliceEnd end, LoopTimer resume) {
            this.end = end;
            this.resume = resume;
        }
    }

    private final Side first;
    private final Side second;
    private final Observer observer;
    private boolean closed;

    private StreamSplice(EventLoop loop, SpliceEnd first, SpliceEnd second, Observer observer) {
        this.first = new Side(first, loop.newTimer(() -> resume(true)));
        this.second = new Side(second, loop.newTimer(() -> resume(false)));
        this.observer = observer;
    }

    /**
     * Joins a client-facing stream flow (a {@link TcpConnection}; its framing stops here) to a raw stream. Call on
     * the loop thread, from the flow's own handler if need be: bytes the flow already read behind the current
     * message are sent on first, at the loop's next turn.
     *
     * @return the splice, or {@code null} when {@code flow} is no stream that can be spliced (nothing changed then)
     * @throws IllegalStateException if {@code stream} is still connecting
     */
    public static StreamSplice join(EventLoop loop, Flow flow, TcpStream stream, Observer observer) {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(observer, "observer");
        if (!(flow instanceof SpliceEnd end)) {
            return null;
        }
        return join(loop, end, stream, observer);
    }

    /** Whether {@link #join} would take this flow: an open stream that can carry raw bytes. */
    public static boolean canJoin(Flow flow) {
        return flow instanceof SpliceEnd && flow.isOpen();
    }

    static StreamSplice join(EventLoop loop, SpliceEnd first, SpliceEnd second, Observer observer) {
        loop.checkInLoop();
        checkConnected(first);
        checkConnected(second);
        StreamSplice splice = new StreamSplice(loop, first, second, observer);
        first.attach(splice);
        second.attach(splice);
        if (!first.addCloseListener(splice::close) || !second.addCloseListener(splice::close)) {
            splice.close();
            return splice;
        }
        splice.update(splice.first);
        splice.update(splice.second);
        // Not now: the first end may be in the middle of framing (its buffer is being read), so its leftover bytes
        // go out once its handler has returned.
        loop.execute(splice::start);
        return splice;
    }

    private static void checkConnected(SpliceEnd end) {
        if (end instanceof TcpStream stream && stream.isOpen() && !stream.isConnected()) {
            throw new IllegalStateException(stream + " is still connecting");
        }
    }

    public boolean isOpen() {
        return !closed;
    }

    /** Whether an end is not being read because the other cannot take more (back-pressure). Loop thread only. */
    boolean holdsBack(boolean firstEnd) {
        return (firstEnd ? first : second).held;
    }

    /** Closes both ends; the observer hears it once. */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        first.resume.cancel();
        second.resume.cancel();
        first.end.closeNow();
        second.end.closeNow();
        observer.closed();
    }

    // ---- for the ends

    /** An end's key is ready: bytes towards it may go on, bytes from it may be read. */
    void onReady(SpliceEnd end, int readyOps) throws IOException {
        Side side = end == first.end ? first : second;
        Side other = side == first ? second : first;
        if ((readyOps & SelectionKey.OP_WRITE) != 0) {
            pump(other, side);
        }
        if (!closed && (readyOps & SelectionKey.OP_READ) != 0) {
            pump(side, other);
        }
    }

    private void start() {
        // Bytes an end read before it was spliced (behind a switching message) are relayed too.
        account(first, first.end.inbound().position());
        account(second, second.end.inbound().position());
        try {
            pump(first, second);
            if (!closed) {
                pump(second, first);
            }
        } catch (IOException e) {
            close();
        }
    }

    private void resume(boolean firstSide) {
        Side src = firstSide ? first : second;
        if (closed || !src.paused) {
            return;
        }
        src.paused = false;
        try {
            pump(src, firstSide ? second : first);
        } catch (IOException e) {
            close();
        }
    }

    /**
     * Moves what waits in {@code src}'s buffer, then what its socket has, to {@code dst} until one runs dry, the
     * observer asks for a pause, or the wakeup's share is used up.
     */
    private void pump(Side src, Side dst) throws IOException {
        if (src.paused) {
            dst.writeWanted = false; // what waits goes when the pause ends, not when dst is writable
            update(dst);
            return;
        }
        ByteBuffer buffer = src.end.inbound();
        if (!flush(buffer, src, dst)) {
            return;
        }
        for (int n = 0; n < MAX_READS_PER_WAKEUP && !closed && !src.paused; n++) {
            int read = src.end.readRaw(buffer);
            if (read < 0) {
                close(); // the buffer was flushed: nothing of this direction is lost
                return;
            }
            if (read == 0) {
                break;
            }
            account(src, read);
            if (src.paused) {
                return; // these bytes wait in the buffer until the pause ends: the cap delays them too
            }
            if (!flush(buffer, src, dst)) {
                return;
            }
        }
        if (!closed) {
            src.held = false;
            dst.writeWanted = false;
            update(src);
            update(dst);
        }
    }

    /**
     * Tells the observer; a pause it asks for stops {@code src} (its bytes just read wait in its buffer) until the
     * timer resumes it.
     */
    private void account(Side src, int bytes) {
        if (bytes <= 0) {
            return;
        }
        long pause = observer.relayed(src == first, bytes);
        if (pause > 0 && !closed) {
            src.paused = true;
            src.resume.schedule(pause, TimeUnit.NANOSECONDS);
            update(src);
        }
    }

    /** Writes the bytes pending in {@code buffer} to {@code dst}; false (and {@code src} held) if some remain. */
    private boolean flush(ByteBuffer buffer, Side src, Side dst) throws IOException {
        if (buffer.position() == 0) {
            return true;
        }
        buffer.flip();
        try {
            dst.end.writeRaw(buffer);
        } finally {
            buffer.compact();
        }
        if (buffer.position() == 0) {
            return true;
        }
        // dst is full: stop reading src and wait until dst can take more
        src.held = true;
        dst.writeWanted = true;
        update(src);
        update(dst);
        return false;
    }

    private void update(Side side) {
        int ops = (side.held || side.paused ? 0 : SelectionKey.OP_READ)
                | (side.writeWanted ? SelectionKey.OP_WRITE : 0);
        if (closed || ops == side.ops) {
            return; // unchanged: spare the selector the update
        }
        side.ops = ops;
        side.end.interest(ops);
    }

    @Override
    public String toString() {
        return "splice[" + first.end + " <-> " + second.end + (closed ? ", closed]" : "]");
    }
}
