package dev.switchboard.relay.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;

/**
 * A UDP socket on its {@link UdpEndpoint}'s port, connected to one client, as coturn does per allocation: Linux
 * hands a connected socket the datagrams of its 4-tuple in preference to the unconnected listener. Reading it needs
 * no sender address, so nothing is allocated per packet however many clients interleave on the port (the JDK's
 * {@code receive} caches the last sender's address only). Datagrams go to the endpoint's handler as from the
 * client's one address object and on the endpoint's flow; they count on the endpoint's counters.
 *
 * <p>It binds the wildcard address of the port, not the listener's: bound to the listener's address it would join the
 * listener's {@code SO_REUSEPORT} group and, until its connect, take its hashed share of every client's datagrams
 * (the JDK's connect then discards them: the bench lost about one request in a hundred that way). A wildcard socket
 * loses every datagram to the listener's more specific address until it is connected; the connect fixes its local
 * address to the one the system routes to the client from, which must be the listener's (else the client would see
 * another source address: {@link #open} gives up and the listener serves the client as before). So a listener on
 * a wildcard address gets no client sockets ({@link UdpEndpoint#dedicatedTo}).
 *
 * <p>Closing it first connects it to its own address: its socket outlives the close until the loop's next select,
 * and must not take the client's datagrams meanwhile.
 *
 * <p>An ICMP port unreachable from the client makes the next read or write fail: that is counted and the socket
 * goes on serving. Loop thread only.
 */
final class ConnectedUdpFlow implements Flow, LoopChannel {

    private final UdpEndpoint endpoint;
    private final EventLoop loop;
    private final DatagramChannel channel;
    private final InetSocketAddress client;
    private final InetSocketAddress localAddress;
    private final TransportCounters counters;
    private final int maxDatagramsPerWakeup;
    private SelectionKey key;
    /** Until the queue has been read empty once: read with the sender, should anything have slipped in. */
    private boolean checkSenders = true;
    private volatile boolean open = true;

    private ConnectedUdpFlow(UdpEndpoint endpoint, DatagramChannel channel, InetSocketAddress client,
                             InetSocketAddress localAddress, int maxDatagramsPerWakeup) {
        this.endpoint = endpoint;
        this.loop = endpoint.loop;
        this.channel = channel;
        this.client = client;
        this.localAddress = localAddress;
        this.counters = endpoint.counters;
        this.maxDatagramsPerWakeup = maxDatagramsPerWakeup;
    }

    /** Opens, binds, connects and registers the socket; null when the client is routed from another address. */
    static ConnectedUdpFlow open(UdpEndpoint endpoint, InetSocketAddress client, UdpOptions options)
            throws IOException {
        DatagramChannel channel = DatagramChannel.open(SocketSupport.familyOf(endpoint.localAddress()));
        ConnectedUdpFlow flow = null;
        try {
            channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            if (options.receiveBufferSize() > 0) {
                channel.setOption(StandardSocketOptions.SO_RCVBUF, options.receiveBufferSize());
            }
            if (options.sendBufferSize() > 0) {
                channel.setOption(StandardSocketOptions.SO_SNDBUF, options.sendBufferSize());
            }
            channel.configureBlocking(false);
            InetSocketAddress listener = endpoint.localAddress();
            // The wildcard, so that it never shares the listener's datagrams (see the class comment); what reaches
            // it before the connect was sent to another address of this host, and the connect discards it.
            channel.bind(new InetSocketAddress(SocketSupport.wildcardOf(listener.getAddress()), listener.getPort()));
            channel.connect(client);
            InetSocketAddress local = (InetSocketAddress) channel.getLocalAddress();
            if (!local.getAddress().equals(listener.getAddress())) {
                SocketSupport.closeQuietly(channel); // the route to the client leaves from another address
                return null;
            }
            ConnectedUdpFlow made = new ConnectedUdpFlow(endpoint, channel, client, local,
                    options.maxDatagramsPerWakeup());
            endpoint.loop.adopt(made); // fails once the loop is closing
            flow = made;
            flow.key = endpoint.loop.register(channel, SelectionKey.OP_READ, flow);
            flow.counters.increment(TransportCounters.CLIENT_SOCKETS_OPEN);
            return flow;
        } catch (IOException | RuntimeException e) {
            if (flow != null) {
                flow.open = false;
                endpoint.loop.disown(flow);
            }
            SocketSupport.closeQuietly(channel);
            throw e;
        }
    }

    // ---- Flow

    @Override
    public Protocol protocol() {
        return Protocol.UDP;
    }

    @Override
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return client;
    }

    /** Sends to the client whatever {@code remote} says: the socket reaches no one else. */
    @Override
    public boolean send(ByteBuffer data, InetSocketAddress remote) {
        if (!open) {
            return dropSend(data);
        }
        try {
            int sent = channel.write(data);
            if (sent == 0) {
                return dropSend(data); // socket buffer full: never wait for room on the packet path
            }
            counters.sent(sent);
            return true;
        } catch (PortUnreachableException e) {
            counters.increment(TransportCounters.CLIENT_UNREACHABLE);
            return dropSend(data);
        } catch (IOException | RuntimeException e) {
            counters.increment(TransportCounters.ERRORS);
            loop.reportError(this, e);
            return dropSend(data);
        }
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        closeNow();
    }

    // ---- LoopChannel

    @Override
    public void onReady(SelectionKey key) {
        ByteBuffer packet = loop.receiveBuffer();
        ByteBuffer scratch = loop.scratchBuffer();
        for (int n = 0; n < maxDatagramsPerWakeup && open; n++) {
            packet.clear();
            InetSocketAddress source = client;
            try {
                if (checkSenders) {
                    SocketAddress sender = channel.receive(packet);
                    if (sender == null) {
                        checkSenders = false;
                        continue; // from now on the queue holds the client's datagrams only
                    }
                    source = sender.equals(client) ? client : (InetSocketAddress) sender;
                } else if (channel.read(packet) <= 0) {
                    return; // nothing queued (a zero-length datagram reads the same, and carries nothing)
                }
            } catch (PortUnreachableException e) {
                counters.increment(TransportCounters.CLIENT_UNREACHABLE);
                continue; // the error is consumed with that read: datagrams behind it are still there
            } catch (IOException e) {
                counters.increment(TransportCounters.ERRORS);
                loop.reportError(this, e);
                return;
            }
            packet.flip();
            counters.received(packet.remaining());
            scratch.clear();
            endpoint.dispatch(packet, source, scratch);
        }
    }

    @Override
    public void onFailure(Throwable failure) {
        counters.increment(TransportCounters.ERRORS); // one datagram lost: the socket keeps serving
    }

    @Override
    public void closeNow() {
        if (!open) {
            return;
        }
        open = false;
        loop.disown(this);
        if (key != null) {
            key.cancel();
        }
        // A channel registered with a selector keeps its socket until the loop's next select: meanwhile the kernel
        // would still hand it the client's datagrams, lost with it (a request sent on the reply to a Refresh 0).
        // Connected to its own address instead, it matches nobody from now on and the listener gets them.
        try {
            channel.socket().connect(localAddress);
        } catch (IOException | RuntimeException e) {
            // closing anyway: at worst a datagram or two of a client whose allocation just ended is lost
        }
        SocketSupport.closeQuietly(channel);
        counters.add(TransportCounters.CLIENT_SOCKETS_OPEN, -1);
        endpoint.forget(this);
    }

    private boolean dropSend(ByteBuffer data) {
        counters.increment(TransportCounters.SEND_DROPPED);
        data.position(data.limit());
        return false;
    }

    @Override
    public String toString() {
        return endpoint.name() + "->" + SocketSupport.format(client);
    }
}
