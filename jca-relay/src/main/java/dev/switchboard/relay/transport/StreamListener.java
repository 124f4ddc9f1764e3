package dev.switchboard.relay.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A listening TCP socket whose connections are raw {@link TcpStream}s handed to a callback, which owns them from
 * then on (a TURN relayed transport address of a TCP allocation, RFC 6062). Unlike a {@link TcpAcceptor} it frames
 * nothing and keeps no connections: closing it stops accepting only. It shares its address with outgoing
 * {@link TcpStream#connect connections} from the same port.
 */
public final class StreamListener extends AcceptingListener {

    private static final int MAX_ACCEPTS_PER_WAKEUP = 16;

    private final int bufferSize;
    private final Consumer<TcpStream> onAccept;

    private StreamListener(EventLoop loop, ServerSocketChannel server, int bufferSize, Consumer<TcpStream> onAccept)
            throws IOException {
        super(loop, server, "tcp-relay", MAX_ACCEPTS_PER_WAKEUP);
        this.bufferSize = bufferSize;
        this.onAccept = onAccept;
    }

    /**
     * Binds and listens now, so a port in use fails here; accepted connections go to {@code onAccept} on the loop.
     *
     * @param bufferSize each accepted stream's buffer once spliced
     * @throws IOException           if the socket cannot be opened or bound
     * @throws IllegalStateException if the loop is closed
     */
    public static StreamListener open(EventLoop loop, InetSocketAddress bind, int backlog, int bufferSize,
                                      Consumer<TcpStream> onAccept) throws IOException {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(onAccept, "onAccept");
        return bindAndAdopt(ServerSocketChannel.open(SocketSupport.familyOf(bind)), server -> {
            SocketSupport.shareLocalAddress(server);
            server.configureBlocking(false);
            server.bind(bind, backlog);
            return new StreamListener(loop, server, bufferSize, onAccept);
        });
    }

    @Override
    public Protocol protocol() {
        return Protocol.TCP;
    }

    @Override
    void accepted(SocketChannel socket) throws IOException {
        TcpStream stream = TcpStream.accepted(loop, socket, bufferSize);
        counters.increment(TransportCounters.CONNECTIONS_ACCEPTED);
        try {
            onAccept.accept(stream);
        } catch (Throwable e) { // the stream is ours to close, not just the socket; an error too is its alone
            EventLoop.rethrowIfThreadMustEnd(e);
            counters.increment(TransportCounters.ERRORS);
            loop.reportError(this, e);
            stream.closeNow();
        }
    }
}
