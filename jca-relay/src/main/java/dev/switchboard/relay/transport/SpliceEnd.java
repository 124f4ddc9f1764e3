package dev.switchboard.relay.transport;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One side of a {@link StreamSplice}: a stream connection whose bytes are passed on as they are. Implemented by a
 * raw {@link TcpStream} and by a {@link TcpConnection} that stopped framing STUN (RFC 6062 ConnectionBind); a TLS
 * connection would read and write its plaintext here. Loop thread only.
 */
interface SpliceEnd {

    /** From now on the connection's readiness goes to {@code splice}, which also owns its interest set. */
    void attach(StreamSplice splice);

    /**
     * Where bytes read from this end wait for the other end (fill mode: bytes pending lie before the position). A
     * connection that switched from framing may already hold bytes there, which the splice sends first.
     */
    ByteBuffer inbound();

    /** Reads what the socket has into {@code dst}; 0 when nothing is there, -1 at the end of the stream. */
    int readRaw(ByteBuffer dst) throws IOException;

    /** Writes what the socket takes now from {@code src}, after anything the connection queued itself. */
    int writeRaw(ByteBuffer src) throws IOException;

    /** Sets the selection interest ({@code OP_READ}, {@code OP_WRITE} or both, or 0). */
    void interest(int ops);

    /** As {@link Flow#addCloseListener}: false when already closed. */
    boolean addCloseListener(Runnable action);

    boolean isOpen();

    void closeNow();
}
