package dev.switchboard.relay.turn;

import dev.switchboard.relay.stun.StunAddress;
import dev.switchboard.relay.transport.EventLoop;
import dev.switchboard.relay.transport.LoopTimer;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.function.Consumer;

/**
 * A permission (RFC 8656 §9): the allocation may exchange data with this peer IP, whatever the port, until the timer
 * fires. Holds what the relay path needs about the peer ready-made, so relaying allocates nothing.
 */
final class Permission {

    final InetAddress ip;
    final PeerKey key;
    final boolean ipv6;
    final LoopTimer timer;
    /** The peer ports reachable: all, or only the relayed range when the IP is one of this server's relay addresses. */
    final int minPort;
    final int maxPort;
    /** A port of the server's own service (the SFU) reachable besides the range, or -1. */
    final int servicePort;
    /**
     * The peer's IP as the client is shown it, with a variable port, for XOR-PEER-ADDRESS in Data indications: the
     * public address when {@link #ip} is the relay's private one behind a 1:1 NAT, else {@link #ip}.
     */
    final StunAddress peerAddress = new StunAddress();
    private final byte[] raw;
    /** The last address a Send indication went to: a client sends to the same peer port over and over. */
    private InetSocketAddress lastTarget;

    Permission(InetAddress ip, InetAddress shown, int minPort, int maxPort, int servicePort, EventLoop loop,
               Consumer<Permission> onExpiry) {
        if ((shown instanceof Inet6Address) != (ip instanceof Inet6Address)) {
            throw new IllegalArgumentException("shown as another family: " + ip + " as " + shown);
        }
        this.ip = ip;
        this.minPort = minPort;
        this.maxPort = maxPort;
        this.servicePort = servicePort;
        this.key = PeerKey.of(ip);
        this.ipv6 = ip instanceof Inet6Address;
        this.raw = shown.getAddress();
        this.timer = loop.newTimer(() -> onExpiry.accept(this));
    }

    boolean reaches(int port) {
        return port >= minPort && port <= maxPort || port == servicePort;
    }

    /** {@link #peerAddress} set to this IP and {@code port}. */
    StunAddress peerAddress(int port) {
        return peerAddress.set(ipv6 ? StunAddress.FAMILY_IPV6 : StunAddress.FAMILY_IPV4, raw, 0, port);
    }

    /** The socket address of this IP and {@code port}; made only when the port changes. */
    InetSocketAddress target(int port) {
        InetSocketAddress t = lastTarget;
        if (t == null || t.getPort() != port) {
            t = new InetSocketAddress(ip, port);
            lastTarget = t;
        }
        return t;
    }

    @Override
    public String toString() {
        return "Permission[" + ip.getHostAddress() + "]";
    }
}
