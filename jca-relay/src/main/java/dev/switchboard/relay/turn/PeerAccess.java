package dev.switchboard.relay.turn;

import dev.switchboard.relay.turn.policy.PeerPolicy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Which peer ports the {@link PeerPolicy} opens to an allocation, for the requests that make permissions, channels
 * and TCP connections (never per packet): every port of an address the policy permits; only the relayed port range
 * of one of this server's relay addresses (two allocations reaching each other); the port of one of the server's own
 * services on that service's address (the SFU, {@link TurnConfig#serviceAddresses}). Behind a 1:1 NAT a peer named by
 * the public address is relayed to the private one ({@link ExternalAddresses#toPrivate}); the private address is
 * judged as any peer there, and its relayed ports are also open when the policy opens those of the public address,
 * the one the client named (a cloud VM's private address sits in a refused range, and coturn whitelists it too).
 */
final class PeerAccess {

    private final PeerPolicy policy;
    private final ExternalAddresses external;
    private final int minPort;
    private final int maxPort;
    private final List<InetSocketAddress> services;

    PeerAccess(TurnConfig config) {
        this.policy = config.peerPolicy();
        this.external = config.externalAddresses();
        this.minPort = config.minPort();
        this.maxPort = config.maxPort();
        this.services = config.serviceAddresses();
    }

    /** Some port of {@code ip} may be reached: a permission for it may exist. */
    boolean somePort(InetAddress ip) {
        return policy.permits(ip) || relayedPorts(ip) || servicePort(ip) > 0;
    }

    /** {@code port} of {@code ip} may be reached. */
    boolean permits(InetAddress ip, int port) {
        return policy.permits(ip) || (relayedPorts(ip) && inRelayRange(port)) || port == servicePort(ip);
    }

    /** {@code port} of {@code ip} may be reached over TCP (RFC 6062): the SFU's port is a UDP one, so not there. */
    boolean permitsOverTcp(InetAddress ip, int port) {
        return policy.permits(ip) || (relayedPorts(ip) && inRelayRange(port));
    }

    /**
     * The lowest and highest port a new permission for {@code ip} reaches, once {@link #somePort} said yes; an empty
     * range (1..0) when only {@link #servicePort} is open.
     */
    int minPort(InetAddress ip) {
        return policy.permits(ip) ? 0 : relayedPorts(ip) ? minPort : 1;
    }

    int maxPort(InetAddress ip) {
        return policy.permits(ip) ? 65_535 : relayedPorts(ip) ? maxPort : 0;
    }

    /** The port of the server's own service (the SFU) on {@code ip} that allocations may reach, or -1. */
    int servicePort(InetAddress ip) {
        for (InetSocketAddress s : services) {
            if (s.getAddress().equals(ip)) {
                return s.getPort();
            }
        }
        return -1;
    }

    private boolean relayedPorts(InetAddress ip) {
        if (policy.permitsRelayedPorts(ip)) {
            return true;
        }
        InetAddress pub = external.publicOf(ip);
        return pub != null && policy.permitsRelayedPorts(pub);
    }

    private boolean inRelayRange(int port) {
        return port >= minPort && port <= maxPort;
    }
}
