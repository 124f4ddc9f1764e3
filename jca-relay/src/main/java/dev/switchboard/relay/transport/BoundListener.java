package dev.switchboard.relay.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.Channel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What every listener shares: a bound socket owned by an {@link EventLoop}, its name and counters, registering it
 * with the loop once adopted and closing it once. Subclasses say how the socket is set up and what a ready key
 * means; nothing here runs per packet.
 */
abstract class BoundListener<C extends SelectableChannel & NetworkChannel> implements Listener, LoopChannel {

    /** Sets up and binds a freshly opened channel, then makes the listener around it. */
    @FunctionalInterface
    interface Binder<C, L> {
        L bind(C channel) throws IOException;
    }

    final EventLoop loop;
    final C channel;
    final TransportCounters counters = new TransportCounters();
    final AtomicBoolean closed = new AtomicBoolean();
    private final InetSocketAddress localAddress;
    private final String name;
    private final int interestOps;
    /** Set by {@link #close} at once, so the listener reports down before its loop gets to closing it. */
    private volatile boolean closeRequested;
    /** Set on the loop thread once registered. */
    SelectionKey key;

    /**
     * @param kind        the name's prefix, e.g. {@code udp}
     * @param interestOps what the loop selects the socket for
     */
    BoundListener(EventLoop loop, C channel, String kind, int interestOps) throws IOException {
        this.loop = loop;
        this.channel = channel;
        this.localAddress = (InetSocketAddress) channel.getLocalAddress();
        this.name = kind + "/" + SocketSupport.format(localAddress);
        this.interestOps = interestOps;
    }

    /**
     * Binds {@code channel} and makes the listener on the calling thread, so a bad address or a port in use fails
     * here, then has the loop adopt and serve it. On any failure the channel is closed again.
     *
     * @throws IllegalStateException if the loop is closed
     */
    static <C extends Channel, L extends BoundListener<?>> L bindAndAdopt(C channel, Binder<C, L> binder) throws IOException {
        try {
            L listener = binder.bind(channel);
            BoundListener<?> bound = listener; // a private member is not one of the type variable's (JLS 4.4)
            bound.loop.adoptAndRegister(bound, bound::register);
            return listener;
        } catch (IOException | RuntimeException e) {
            SocketSupport.closeQuietly(channel);
            throw e;
        }
    }

    // ---- Listener

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final InetSocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public final boolean isUp() {
        return !closeRequested && !closed.get();
    }

    @Override
    public final TransportCounters counters() {
        return counters;
    }

    @Override
    public final void close() {
        closeRequested = true;
        loop.runOnLoop(this::closeNow);
    }

    @Override
    public final String toString() {
        return name;
    }

    // ---- LoopChannel

    @Override
    public void onFailure(Throwable failure) {
        counters.increment(TransportCounters.ERRORS); // the listening socket itself is fine: keep serving
    }

    @Override
    public final void closeNow() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        loop.disown(this);
        if (key != null) {
            key.cancel();
        }
        SocketSupport.closeQuietly(channel);
        afterClose();
    }

    /** What else closes with the socket (timers, owned connections); on the loop thread, once. */
    void afterClose() {
    }

    private void register() {
        if (closed.get()) {
            return;
        }
        try {
            key = loop.register(channel, interestOps, this);
        } catch (ClosedChannelException e) {
            closeNow();
        }
    }
}
