package dev.switchboard.relay.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.logging.Logger;

/**
 * A bound UDP socket on an {@link EventLoop}: reads datagrams into the loop's shared buffer and passes each to the
 * handler. One socket serves every remote, so the endpoint is itself the {@link Flow} of all its datagrams; replies
 * go out with a non-blocking {@code send} and are dropped (and counted) if the socket buffer is full.
 *
 * <p>Where the system has {@code SO_REUSEPORT} (Linux), the socket is bound with it so that a client with
 * authenticated state can be given a socket of its own on the same port ({@link #dedicatedTo}, a
 * {@link ConnectedUdpFlow}). A port in use still fails the open: an exclusive bind is tried first.
 */
public final class UdpEndpoint extends BoundListener<DatagramChannel> implements Flow {

    private static final Logger LOG = Logger.getLogger(UdpEndpoint.class.getName());

    private final PacketHandler handler;
    private final UdpOptions options;
    private final int maxDatagramsPerWakeup;
    /** Opens sockets connected to one client each, sharing the port (bound with SO_REUSEPORT for that). */
    private final boolean sharesPort;
    private final boolean wildcard;
    /** Those open; loop thread only. */
    private final Set<ConnectedUdpFlow> clientFlows = new HashSet<>();

    private UdpEndpoint(EventLoop loop, DatagramChannel channel, PacketHandler handler, UdpOptions options,
                        boolean sharesPort) throws IOException {
        super(loop, channel, "udp", SelectionKey.OP_READ);
        this.handler = handler;
        this.options = options;
        this.maxDatagramsPerWakeup = options.maxDatagramsPerWakeup();
        this.sharesPort = sharesPort;
        this.wildcard = localAddress().getAddress().isAnyLocalAddress();
    }

    /** Opens with {@link UdpOptions#DEFAULTS}; see {@link #open(EventLoop, InetSocketAddress, PacketHandler, UdpOptions)}. */
    public static UdpEndpoint open(EventLoop loop, InetSocketAddress bind, PacketHandler handler) throws IOException {
        return open(loop, bind, handler, UdpOptions.DEFAULTS);
    }

    /**
     * Binds now on the calling thread, so a bad address or a port in use fails here, then has the loop serve the
     * socket. Datagrams arriving before the loop picks it up wait in the socket's buffer.
     *
     * @param bind an IP address (IPv4 or IPv6, possibly a wildcard) and port; port 0 picks a free one
     * @throws IOException           if the socket cannot be opened or bound
     * @throws IllegalStateException if the loop is closed
     */
    public static UdpEndpoint open(EventLoop loop, InetSocketAddress bind, PacketHandler handler, UdpOptions options)
            throws IOException {
        return open(loop, bind, handler, options, false, false);
    }

    /**
     * As {@link #open(EventLoop, InetSocketAddress, PacketHandler, UdpOptions)}, as one of a group of sockets on the
     * same address and port, each served by its own loop: with {@code SO_REUSEPORT} they all bind, and Linux hands
     * each datagram to one of them by a hash of its 4-tuple, so a client stays with one socket (and loop) while the
     * group is unchanged. When a member closes or joins, the hash is taken over the new group: clients without a
     * socket of their own may move to another member. The first member ({@code join} false) claims the port
     * exclusively before it binds, so a port in use fails as for a lone listener; later members join what is there.
     *
     * @param bind for a member that joins, the first member's address with its (non-zero) port
     * @throws IOException where the system has no {@code SO_REUSEPORT}, or if the socket cannot be bound
     */
    public static UdpEndpoint openInGroup(EventLoop loop, InetSocketAddress bind, PacketHandler handler,
                                          UdpOptions options, boolean join) throws IOException {
        if (join && bind.getPort() == 0) {
            throw new IllegalArgumentException("a member joins the group on its port, not port 0");
        }
        return open(loop, bind, handler, options, true, join);
    }

    private static UdpEndpoint open(EventLoop loop, InetSocketAddress bind, PacketHandler handler, UdpOptions options,
                                    boolean grouped, boolean join) throws IOException {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(options, "options");
        return bindAndAdopt(DatagramChannel.open(SocketSupport.familyOf(bind)), channel -> {
            // No SO_REUSEADDR: on UDP it would let a second socket bind the same port and take a share of its
            // datagrams. A UDP port is free again as soon as its socket closes, so a redeploy does not need it.
            if (options.receiveBufferSize() > 0) {
                channel.setOption(StandardSocketOptions.SO_RCVBUF, options.receiveBufferSize());
            }
            if (options.sendBufferSize() > 0) {
                channel.setOption(StandardSocketOptions.SO_SNDBUF, options.sendBufferSize());
            }
            channel.configureBlocking(false);
            boolean reusePort = channel.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT);
            if (grouped && !reusePort) {
                throw new IOException("SO_REUSEPORT is not available here: several event loops cannot share "
                        + SocketSupport.format(bind));
            }
            boolean clientSockets = options.clientSockets() && reusePort;
            if (join) {
                channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
                channel.bind(bind);
            } else if (clientSockets || grouped) {
                // SO_REUSEPORT would also let a second listener bind the port and take a share of its datagrams
                // (an instance of ours not yet gone): bind exclusively first, so a port in use still fails here.
                InetSocketAddress free = claimExclusively(bind);
                channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
                channel.bind(free);
            } else {
                channel.bind(bind);
            }
            UdpEndpoint endpoint = new UdpEndpoint(loop, channel, handler, options, clientSockets);
            endpoint.reportCappedBuffers(options);
            return endpoint;
        });
    }

    // ---- Listener

    @Override
    public Protocol protocol() {
        return Protocol.UDP;
    }

    // ---- Flow

    @Override
    public InetSocketAddress remoteAddress() {
        return null;
    }

    @Override
    public boolean send(ByteBuffer data, InetSocketAddress remote) {
        if (remote == null || closed.get()) {
            return dropSend(data);
        }
        try {
            int sent = channel.send(data, remote);
            if (sent == 0) {
                return dropSend(data); // socket buffer full: never wait for room on the packet path
            }
            counters.sent(sent);
            return true;
        } catch (IOException | RuntimeException e) {
            // e.g. no route to the remote, or an IPv6 remote on an IPv4 socket: that reply is lost, not the loop.
            counters.increment(TransportCounters.ERRORS);
            loop.reportError(this, e);
            return dropSend(data);
        }
    }

    @Override
    public boolean isOpen() {
        return !closed.get();
    }

    @Override
    public Flow dedicatedTo(InetSocketAddress client) {
        loop.checkInLoop();
        // On a wildcard listener a client's socket would share its SO_REUSEPORT group and take other clients'
        // datagrams until connected (see ConnectedUdpFlow): such a listener serves all its clients itself.
        if (!sharesPort || wildcard || closed.get() || client == null) {
            return null;
        }
        try {
            ConnectedUdpFlow flow = ConnectedUdpFlow.open(this, client, options);
            if (flow != null) {
                clientFlows.add(flow);
            }
            return flow;
        } catch (IOException | RuntimeException e) {
            counters.increment(TransportCounters.ERRORS);
            loop.reportError(this, e);
            return null;
        }
    }

    /** A client's socket closed. */
    void forget(ConnectedUdpFlow flow) {
        clientFlows.remove(flow);
    }

    @Override
    void afterClose() {
        for (ConnectedUdpFlow flow : new ArrayList<>(clientFlows)) {
            flow.closeNow();
        }
    }

    // ---- LoopChannel

    @Override
    public void onReady(SelectionKey key) {
        ByteBuffer packet = loop.receiveBuffer();
        ByteBuffer scratch = loop.scratchBuffer();
        // Drain what is queued, up to a bound: one wakeup per datagram would cost a select call each.
        for (int n = 0; n < maxDatagramsPerWakeup && !closed.get(); n++) {
            packet.clear();
            SocketAddress source;
            try {
                // Returns the same cached address object while the sender stays the same: no allocation.
                source = channel.receive(packet);
            } catch (IOException e) {
                counters.increment(TransportCounters.ERRORS);
                loop.reportError(this, e);
                return;
            }
            if (source == null) {
                return;
            }
            packet.flip();
            counters.received(packet.remaining());
            scratch.clear();
            dispatch(packet, (InetSocketAddress) source, scratch);
        }
    }

    /** Hands a datagram, received here or on a client's own socket, to the handler as arrived on this flow. */
    void dispatch(ByteBuffer packet, InetSocketAddress source, ByteBuffer scratch) {
        Outcome outcome;
        try {
            outcome = handler.handle(packet, source, this, scratch);
        } catch (Throwable failure) {
            // Only this datagram is lost, even to an error (out of memory, a stack overflow in the handler): the
            // socket serves the next one, and every other client of it.
            EventLoop.rethrowIfThreadMustEnd(failure);
            counters.increment(TransportCounters.ERRORS);
            loop.reportError(this, failure);
            return;
        }
        if (outcome == null) {
            counters.increment(TransportCounters.ERRORS); // a handler bug, but not worth an exception per packet
        } else {
            counters.count(outcome);
        }
    }

    private boolean dropSend(ByteBuffer data) {
        counters.increment(TransportCounters.SEND_DROPPED);
        data.position(data.limit());
        return false;
    }

    /** Binds and closes a socket without SO_REUSEPORT: fails if anything has the port; the port it got otherwise. */
    private static InetSocketAddress claimExclusively(InetSocketAddress bind) throws IOException {
        try (DatagramChannel probe = DatagramChannel.open(SocketSupport.familyOf(bind))) {
            probe.bind(bind);
            // A UDP port is free again as soon as its socket closes.
            return new InetSocketAddress(bind.getAddress(), ((InetSocketAddress) probe.getLocalAddress()).getPort());
        }
    }

    /** Says once, at open, when the kernel gave less buffer than asked: the fix is a sysctl, not code. */
    private void reportCappedBuffers(UdpOptions options) throws IOException {
        int requested = options.receiveBufferSize();
        if (requested == 0) {
            return;
        }
        int actual = channel.getOption(StandardSocketOptions.SO_RCVBUF);
        // Linux reports double what it set (room for its bookkeeping), so a full grant reads as at least the request.
        if (actual < requested) {
            LOG.info(() -> name() + ": SO_RCVBUF " + requested + " requested, " + actual
                    + " granted; raise net.core.rmem_max to absorb bursts without loss");
        }
    }
}
