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

/**
 * A raw TCP connection on an {@link EventLoop} that speaks no protocol of ours: a TURN peer data connection (RFC
 * 6062), accepted by a {@link StreamListener} or dialed with {@link #connect}. It reads nothing until it is joined to
 * another connection by a {@link StreamSplice}, so whatever its peer sends meanwhile waits in the kernel and TCP's
 * window holds the sender back. Its loop owns it: closing the loop closes it. Loop thread only.
 */
public final class TcpStream implements LoopChannel, SpliceEnd {

    /** Told how a {@link #connect} ends; called on the loop thread, at most once, never after {@link #close}. */
    public interface ConnectHandler {

        void connected(TcpStream stream);

        /** The connection attempt failed (refused, unreachable, reset); the stream is closed already. */
        void failed(TcpStream stream, IOException cause);
    }

    private final EventLoop loop;
    private final SocketChannel channel;
    private final int bufferSize;
    private InetSocketAddress localAddress;
    private InetSocketAddress remoteAddress;
    private SelectionKey key;
    /** Set while connecting. */
    private ConnectHandler connecting;
    private StreamSplice splice;
    /** Made when spliced: a connection waiting to be bound costs no buffer. */
    private ByteBuffer inbound;
    private List<Runnable> closeListeners;
    private boolean open = true;

    private TcpStream(EventLoop loop, SocketChannel channel, int bufferSize) {
        this.loop = loop;
        this.channel = channel;
        this.bufferSize = bufferSize;
    }

    /** Takes over a freshly accepted socket; on the loop thread. */
    static TcpStream accepted(EventLoop loop, SocketChannel socket, int bufferSize) throws IOException {
        socket.configureBlocking(false);
        socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
        TcpStream stream = new TcpStream(loop, socket, bufferSize);
        stream.localAddress = (InetSocketAddress) socket.getLocalAddress();
        stream.remoteAddress = (InetSocketAddress) socket.getRemoteAddress();
        loop.adopt(stream);
        try {
            stream.key = loop.register(socket, 0, stream);
        } catch (IOException | RuntimeException e) {
            stream.closeNow();
            throw e;
        }
        return stream;
    }

    /**
     * Opens a connection from {@code local} to {@code remote} without blocking; {@code handler} hears how it ends.
     * Binding {@code local} works while a {@link StreamListener} listens on the same address, as both ask for
     * {@code SO_REUSEPORT} (RFC 6062 §5.2: a peer data connection starts from the relayed transport address). The
     * caller bounds the wait: closing the stream abandons the attempt, and the handler is not called then.
     *
     * @param local      the address to connect from; port 0 for any
     * @param bufferSize the stream's buffer once spliced
     * @throws IOException if the attempt cannot even start (the port is taken, no route): nothing to close then
     */
    public static TcpStream connect(EventLoop loop, InetSocketAddress local, InetSocketAddress remote, int bufferSize,
                                    ConnectHandler handler) throws IOException {
        Objects.requireNonNull(handler, "handler");
        loop.checkInLoop();
        SocketChannel socket = SocketChannel.open(SocketSupport.familyOf(local));
        TcpStream stream = new TcpStream(loop, socket, bufferSize);
        try {
            socket.configureBlocking(false);
            socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
            SocketSupport.shareLocalAddress(socket);
            socket.bind(local);
            stream.localAddress = (InetSocketAddress) socket.getLocalAddress();
            stream.remoteAddress = remote;
            loop.adopt(stream);
        } catch (IOException | RuntimeException e) {
            SocketSupport.closeQuietly(socket);
            throw e;
        }
        try {
            boolean done = socket.connect(remote);
            stream.key = loop.register(socket, done ? 0 : SelectionKey.OP_CONNECT, stream);
            stream.connecting = handler;
            if (done) {
                // Connected at once (loopback can): still answer on the next turn, as the caller expects.
                loop.execute(stream::connectedNow);
            }
        } catch (IOException | RuntimeException e) {
            stream.closeNow(); // e.g. no route to the remote: failed before it started
            throw e;
        }
        return stream;
    }

    public InetSocketAddress localAddress() {
        return localAddress;
    }

    public InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    /** Open and no longer connecting: ready to be spliced. */
    public boolean isConnected() {
        return open && connecting == null;
    }

    /** Closes now if on the loop, else on the loop's next turn; idempotent. */
    public void close() {
        loop.runOnLoop(this::closeNow);
    }

    @Override
    public String toString() {
        return "tcp-stream/" + (localAddress == null ? "?" : SocketSupport.format(localAddress)) + "->"
                + (remoteAddress == null ? "?" : SocketSupport.format(remoteAddress));
    }

    // ---- SpliceEnd

    @Override
    public void attach(StreamSplice splice) {
        this.splice = splice;
        if (inbound == null) {
            inbound = ByteBuffer.allocateDirect(bufferSize);
        }
    }

    @Override
    public ByteBuffer inbound() {
        return inbound;
    }

    @Override
    public int readRaw(ByteBuffer dst) throws IOException {
        return channel.read(dst);
    }

    @Override
    public int writeRaw(ByteBuffer src) throws IOException {
        return channel.write(src);
    }

    @Override
    public void interest(int ops) {
        if (open && key != null && key.isValid()) {
            key.interestOps(ops);
        }
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
        return true;
    }

    // ---- LoopChannel

    @Override
    public void onReady(SelectionKey key) {
        try {
            if (connecting != null) {
                if (key.isConnectable()) {
                    finishConnect();
                }
                return;
            }
            if (splice != null) {
                splice.onReady(this, key.readyOps());
            }
        } catch (IOException e) {
            closeNow(); // reset or broken pipe: the peer went away
        }
    }

    @Override
    public void onFailure(Throwable failure) {
        closeNow();
    }

    @Override
    public void closeNow() {
        if (!open) {
            return;
        }
        open = false;
        connecting = null;
        loop.disown(this);
        if (key != null) {
            key.cancel();
        }
        SocketSupport.closeQuietly(channel);
        List<Runnable> listeners = closeListeners;
        closeListeners = null;
        loop.runEach(listeners, this);
    }

    // ---- connecting

    private void finishConnect() {
        try {
            if (!channel.finishConnect()) {
                return; // spurious wakeup: still pending
            }
        } catch (IOException e) {
            connectFailed(e);
            return;
        }
        key.interestOps(0);
        connectedNow();
    }

    private void connectedNow() {
        ConnectHandler handler = connecting;
        if (handler == null || !open) {
            return; // abandoned meanwhile
        }
        connecting = null;
        try {
            InetSocketAddress remote = (InetSocketAddress) channel.getRemoteAddress();
            if (remote != null) {
                remoteAddress = remote;
            }
        } catch (IOException e) {
            connectFailed(e);
            return;
        }
        handler.connected(this);
    }

    private void connectFailed(IOException cause) {
        ConnectHandler handler = connecting;
        connecting = null;
        closeNow();
        if (handler != null) {
            handler.failed(this, cause);
        }
    }
}
