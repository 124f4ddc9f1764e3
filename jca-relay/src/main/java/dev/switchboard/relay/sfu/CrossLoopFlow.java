package dev.switchboard.relay.sfu;

import dev.switchboard.relay.transport.EventLoop;
import dev.switchboard.relay.transport.Flow;
import dev.switchboard.relay.transport.Protocol;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.RejectedExecutionException;

/**
 * A stream flow (a TCP connection) of another event loop, as a room's loop sends through it: each send copies the
 * bytes and runs on the connection's loop. The kernel gives a TCP connection to any loop, so an ICE-TCP peer whose
 * room lives on another loop is served this way; the copy and the task cost an allocation per packet, which handing
 * the connection to the room's loop (as RFC 6062 data connections are, docs/sfu.md) would remove.
 */
final class CrossLoopFlow implements Flow {

    private final Flow target;
    private final EventLoop loop;

    CrossLoopFlow(Flow target, EventLoop loop) {
        this.target = target;
        this.loop = loop;
    }

    @Override
    public Protocol protocol() {
        return target.protocol();
    }

    @Override
    public InetSocketAddress localAddress() {
        return target.localAddress();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return target.remoteAddress();
    }

    @Override
    public boolean send(ByteBuffer data, InetSocketAddress remote) {
        byte[] copy = new byte[data.remaining()];
        data.get(copy);
        try {
            loop.execute(() -> target.send(ByteBuffer.wrap(copy), remote));
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /** Registers {@code action} with the connection on its loop; the action runs there (post what it does on). */
    @Override
    public boolean addCloseListener(Runnable action) {
        try {
            loop.execute(() -> {
                if (!target.addCloseListener(action)) {
                    action.run(); // closed meanwhile
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    @Override
    public boolean isOpen() {
        return target.isOpen();
    }

    @Override
    public void close() {
        target.close();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CrossLoopFlow f && f.target == target;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(target);
    }
}
