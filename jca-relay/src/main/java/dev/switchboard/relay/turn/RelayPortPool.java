package dev.switchboard.relay.turn;

import dev.switchboard.relay.transport.EventLoop;
import dev.switchboard.relay.transport.PacketHandler;
import dev.switchboard.relay.transport.StreamListener;
import dev.switchboard.relay.transport.TcpStream;
import dev.switchboard.relay.transport.UdpEndpoint;
import dev.switchboard.relay.transport.UdpOptions;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.util.BitSet;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * The relayed ports of one relay address: binds relayed sockets in the configured range, starting at a random port
 * and probing upward (so relayed addresses are hard to guess, RFC 8656 §7.2), and remembers which ports this server
 * holds so it never asks the kernel for them twice. A port another process holds just costs one failed bind.
 * UDP and TCP (RFC 6062) relayed sockets draw from the same ports: a port number is held whichever it serves.
 * Shared by the TURN servers of a relay's loops: a lock of its own, taken when a relayed socket is opened or closed,
 * never per packet.
 */
final class RelayPortPool {

    /** Failed binds tolerated per request before giving up with 508: the range may be crowded by others. */
    static final int MAX_BIND_FAILURES = 64;
    /** Failed binds in a row before probing from a new random port. */
    static final int JUMP_AFTER = 8;

    private final InetAddress address;
    private final int min;
    private final int max;
    private final RandomGenerator random;
    private final BitSet held = new BitSet();

    RelayPortPool(InetAddress address, int min, int max, RandomGenerator random) {
        this.address = address;
        this.min = min;
        this.max = max;
        this.random = random;
    }

    InetAddress address() {
        return address;
    }

    boolean isIpv6() {
        return address instanceof Inet6Address;
    }

    /**
     * Binds a relayed socket on a free port, even if asked.
     *
     * @return the socket, or {@code null} when no port could be had (508)
     */
    synchronized UdpEndpoint open(EventLoop loop, PacketHandler handler, UdpOptions options, boolean even) {
        return first(even, port -> bind(loop, port, handler, options));
    }

    /**
     * Binds a relayed TCP listener (RFC 6062) on a free port; its accepted connections go to {@code onAccept}.
     *
     * @return the listener, or {@code null} when no port could be had (508)
     */
    synchronized StreamListener openTcp(EventLoop loop, int backlog, int bufferSize, Consumer<TcpStream> onAccept) {
        return first(false, port -> {
            try {
                StreamListener listener = StreamListener.open(loop, new InetSocketAddress(address, port), backlog,
                        bufferSize, onAccept);
                hold(port);
                return listener;
            } catch (IOException | IllegalStateException e) {
                return null;
            }
        });
    }

    /**
     * Binds on the first free port from a random start, probing upward; {@code null} when none would do. After
     * {@value #JUMP_AFTER} failed binds in a row it starts again from a new random port: ports another process holds
     * tend to come in runs (a block of its own sockets), and probing through one would end in 508 with most of the
     * range free.
     */
    synchronized <T> T first(boolean even, PortBinder<T> binder) {
        int size = max - min + 1;
        int offset = random.nextInt(size);
        int failures = 0;
        for (int i = 0; i < size && failures < MAX_BIND_FAILURES; i++) {
            int port = min + Math.floorMod(offset + i, size);
            if ((even && (port & 1) != 0) || held.get(port)) {
                continue;
            }
            T bound = binder.bind(port);
            if (bound != null) {
                return bound;
            }
            if (++failures % JUMP_AFTER == 0) {
                offset = random.nextInt(size) - (i + 1); // the next probe is that random port
            }
        }
        return null;
    }

    /** Binds a socket on one port: the socket, or {@code null} if the port is taken (or the loop closing). */
    @FunctionalInterface
    interface PortBinder<T> {
        T bind(int port);
    }

    /**
     * For EVEN-PORT with the R bit: binds an even port N whose successor N+1 is free too, and holds N+1 with a bound
     * (unregistered) socket, so nobody takes it before the reservation is used or lapses.
     *
     * @return the socket on N and the placeholder on N+1, or {@code null} (508)
     */
    synchronized Pair openPair(EventLoop loop, PacketHandler handler, UdpOptions options) {
        int size = max - min + 1;
        int start = min + random.nextInt(size);
        int failures = 0;
        for (int i = 0; i < size && failures < MAX_BIND_FAILURES; i++) {
            int port = min + (start - min + i) % size;
            if ((port & 1) != 0 || port + 1 > max || held.get(port) || held.get(port + 1)) {
                continue;
            }
            DatagramChannel placeholder = placeholder(port + 1);
            if (placeholder == null) {
                failures++;
                continue;
            }
            UdpEndpoint endpoint = bind(loop, port, handler, options);
            if (endpoint != null) {
                hold(port + 1);
                return new Pair(endpoint, placeholder);
            }
            closeQuietly(placeholder);
            failures++;
        }
        return null;
    }

    /** A relayed socket and the socket holding the next port for a RESERVATION-TOKEN. */
    record Pair(UdpEndpoint endpoint, DatagramChannel reserved) {
    }

    /**
     * Turns a reservation into a relayed socket: the placeholder makes way for the real socket on the same port,
     * which stays held throughout.
     *
     * @return the socket, or {@code null} if the port was lost meanwhile (508)
     */
    synchronized UdpEndpoint openReserved(EventLoop loop, int port, DatagramChannel placeholder, PacketHandler handler,
                             UdpOptions options) {
        closeQuietly(placeholder);
        release(port);
        return bind(loop, port, handler, options);
    }

    /** Gives a reservation up: its placeholder closes and the port is free again. */
    synchronized void releaseReservation(int port, DatagramChannel placeholder) {
        closeQuietly(placeholder);
        release(port);
    }

    /** The relayed socket on {@code port} is closed: the port is free again. */
    synchronized void release(int port) {
        held.clear(port);
    }

    private UdpEndpoint bind(EventLoop loop, int port, PacketHandler handler, UdpOptions options) {
        try {
            UdpEndpoint endpoint = UdpEndpoint.open(loop, new InetSocketAddress(address, port), handler, options);
            hold(port);
            return endpoint;
        } catch (IOException | IllegalStateException e) {
            return null; // in use by someone else (try the next one), or the loop is closing
        }
    }

    private DatagramChannel placeholder(int port) {
        DatagramChannel channel = null;
        try {
            channel = DatagramChannel.open(isIpv6() ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
            channel.bind(new InetSocketAddress(address, port));
            return channel;
        } catch (IOException e) {
            if (channel != null) {
                closeQuietly(channel);
            }
            return null;
        }
    }

    private void hold(int port) {
        held.set(port);
    }

    private static void closeQuietly(DatagramChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing to do: the port is given up either way
        }
    }
}
