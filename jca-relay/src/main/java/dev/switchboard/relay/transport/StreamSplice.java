package dev.switchboard.relay.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.util.Objects;

/**
 * Two stream connections joined into one byte pipe, both ways (an RFC 6062 client data connection and its peer data
 * connection). Each direction moves bytes through the buffer of the end they were read from: read, written to the
 * other end at once, and when the other end's socket buffer is full the rest waits there and the reading end stops
 * being read ({@code OP_READ} off, {@code OP_WRITE} on the other end) until it drains. So memory stays at one buffer
 * per end, TCP's own window pushes back on the sender, and nothing is allocated per read. When either end closes or
 * reaches the end of its stream, both are closed. Loop thread only.
 */
public final class StreamSplice {

    /** Reads per wakeup and direction before the loop serves its other sockets. */
    private static final int MAX_READS_PER_WAKEUP = 16;

    /** Told what crosses the splice; called on the loop thread, must not block. */
    public interface Observer {

        /** {@code bytes} were read from the first end (towards the second) or from the second (towards the first). */
        void relayed(boolean fromFirst, int bytes);

        /** Both ends are closed; called once. */
        void closed();
    }

    private final SpliceEnd first;
    private final SpliceEnd second;
    private final Observer observer;
    // What the splice wants of each end's selection key: reading (its direction flows), writing (bytes wait for it).
    private int firstOps = -1;
    private int secondOps = -1;
    private boolean closed;

    private StreamSplice(SpliceEnd first, SpliceEnd second, Observer observer) {
        this.first = first;
        this.second = second;
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
        StreamSplice splice = new StreamSplice(first, second, observer);
        first.attach(splice);
        second.attach(splice);
        if (!first.addCloseListener(splice::close) || !second.addCloseListener(splice::close)) {
            splice.close();
            return splice;
        }
        splice.flowing(first, second);
        splice.flowing(second, first);
        // Not now: the first end may be in the middle of framing (its buffer is being read), so its leftover bytes
        // go out once its handler has returned.
        loop.execute(splice::start);
        return splice;
    }

    public boolean isOpen() {
        return !closed;
    }

    private static void checkConnected(SpliceEnd end) {
        if (end instanceof TcpStream stream && stream.isOpen() && !stream.isConnected()) {
            throw new IllegalStateException(stream + " is still connecting");
        }
    }

    /** Closes both ends; the observer hears it once. */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        first.closeNow();
        second.closeNow();
        observer.closed();
    }

    // ---- for the ends

    /** An end's key is ready: bytes towards it may go on, bytes from it may be read. */
    void onReady(SpliceEnd end, int readyOps) throws IOException {
        SpliceEnd other = end == first ? second : first;
        if ((readyOps & SelectionKey.OP_WRITE) != 0) {
            pump(other, end);
        }
        if (!closed && (readyOps & SelectionKey.OP_READ) != 0) {
            pump(end, other);
        }
    }

    private void start() {
        if (closed) {
            return;
        }
        // Bytes an end read before it was spliced (behind a switching message) are relayed too.
        if (first.inbound().position() > 0) {
            observer.relayed(true, first.inbound().position());
        }
        if (second.inbound().position() > 0) {
            observer.relayed(false, second.inbound().position());
        }
        try {
            pump(first, second);
            if (!closed) {
                pump(second, first);
            }
        } catch (IOException e) {
            close();
        }
    }

    /** Moves what waits in {@code src}'s buffer, then what its socket has, to {@code dst} until one runs dry. */
    private void pump(SpliceEnd src, SpliceEnd dst) throws IOException {
        ByteBuffer buffer = src.inbound();
        if (!flush(buffer, src, dst)) {
            return;
        }
        for (int n = 0; n < MAX_READS_PER_WAKEUP && !closed; n++) {
            int read = src.readRaw(buffer);
            if (read < 0) {
                close(); // the buffer was flushed: nothing of this direction is lost
                return;
            }
            if (read == 0) {
                break;
            }
            observer.relayed(src == first, read);
            if (!flush(buffer, src, dst)) {
                return;
            }
        }
        if (!closed) {
            flowing(src, dst);
        }
    }

    /** Writes the bytes pending in {@code buffer} to {@code dst}; false (and {@code src} held) if some remain. */
    private boolean flush(ByteBuffer buffer, SpliceEnd src, SpliceEnd dst) throws IOException {
        if (buffer.position() == 0) {
            return true;
        }
        buffer.flip();
        try {
            dst.writeRaw(buffer);
        } finally {
            buffer.compact();
        }
        if (buffer.position() == 0) {
            return true;
        }
        held(src, dst);
        return false;
    }

    /** {@code dst} is full: stop reading {@code src} and wait until {@code dst} can take more. */
    private void held(SpliceEnd src, SpliceEnd dst) {
        setOps(src, ops(src) & ~SelectionKey.OP_READ);
        setOps(dst, ops(dst) | SelectionKey.OP_WRITE);
    }

    /** Nothing waits for {@code dst}: read {@code src} again. */
    private void flowing(SpliceEnd src, SpliceEnd dst) {
        setOps(src, ops(src) | SelectionKey.OP_READ);
        setOps(dst, ops(dst) & ~SelectionKey.OP_WRITE);
    }

    private int ops(SpliceEnd end) {
        int ops = end == first ? firstOps : secondOps;
        return ops < 0 ? 0 : ops;
    }

    private void setOps(SpliceEnd end, int ops) {
        if (closed || ops == (end == first ? firstOps : secondOps)) {
            return; // unchanged: spare the selector the update
        }
        if (end == first) {
            firstOps = ops;
        } else {
            secondOps = ops;
        }
        end.interest(ops);
    }

    @Override
    public String toString() {
        return "splice[" + first + " <-> " + second + (closed ? ", closed]" : "]");
    }
}
