package dev.switchboard.relay.transport;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

/**
 * A listening TCP socket's accept loop, shared by the TCP listeners: accepts up to a bound per wakeup and, when
 * accept fails (typically out of file descriptors), pauses a while instead of spinning on a ready socket. What
 * becomes of an accepted socket is the subclass's.
 */
abstract class AcceptingListener extends BoundListener<ServerSocketChannel> {

    private static final long ACCEPT_RETRY_MILLIS = 100;

    private final int maxAcceptsPerWakeup;
    private final LoopTimer acceptRetry;

    AcceptingListener(EventLoop loop, ServerSocketChannel server, String kind, int maxAcceptsPerWakeup)
            throws IOException {
        super(loop, server, kind, SelectionKey.OP_ACCEPT);
        this.maxAcceptsPerWakeup = maxAcceptsPerWakeup;
        this.acceptRetry = loop.newTimer(this::resumeAccepting);
    }

    /**
     * A socket just accepted, on the loop thread: the subclass takes it on or closes it. If this throws, the socket
     * is closed and counted as an error (e.g. the client already reset it, or no memory is left for its buffers):
     * only that connection is lost.
     */
    abstract void accepted(SocketChannel socket) throws IOException;

    @Override
    public final void onReady(SelectionKey key) {
        for (int n = 0; n < maxAcceptsPerWakeup && !closed.get(); n++) {
            SocketChannel socket;
            try {
                socket = channel.accept();
            } catch (IOException e) {
                counters.increment(TransportCounters.ERRORS);
                loop.reportError(this, e);
                key.interestOps(0);
                acceptRetry.schedule(ACCEPT_RETRY_MILLIS, TimeUnit.MILLISECONDS);
                return;
            }
            if (socket == null) {
                return;
            }
            try {
                accepted(socket);
            } catch (IOException | RuntimeException e) {
                counters.increment(TransportCounters.ERRORS);
                SocketSupport.closeQuietly(socket);
            } catch (Error e) {
                // Out of (direct) memory for this connection: refuse it and keep accepting, rather than leak the
                // socket and leave the error to the loop. It is the server's fault, so it is reported.
                EventLoop.rethrowIfThreadMustEnd(e);
                counters.increment(TransportCounters.ERRORS);
                SocketSupport.closeQuietly(socket);
                loop.reportError(this, e);
            }
        }
    }

    @Override
    void afterClose() {
        acceptRetry.cancel();
    }

    private void resumeAccepting() {
        if (!closed.get() && key != null && key.isValid()) {
            key.interestOps(SelectionKey.OP_ACCEPT);
        }
    }
}
