package dev.switchboard.relay.server;

import dev.switchboard.relay.sfu.sdp.Candidate;
import dev.switchboard.relay.sfu.sdp.ServerTransport;
import dev.switchboard.relay.turn.ExternalAddresses;
import dev.switchboard.relay.turn.policy.ServerAddresses;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The host candidates the SFU's answers list: the UDP listeners' addresses (a wildcard one stands for the host's
 * addresses of its family), each preceded by its public address when the relay is behind a 1:1 NAT
 * ({@code switchboard.turn.external-address}), since that is where peers outside reach it; then the same addresses'
 * passive TCP candidates on the TCP listener (RFC 6544), which peers use only when UDP fails.
 */
final class SfuCandidates {

    private static final Logger LOG = Logger.getLogger(SfuCandidates.class.getName());

    private SfuCandidates() {
    }

    static List<Candidate> of(RelayConfig config) {
        ExternalAddresses external = config.turn().enabled() ? config.turn().externalAddresses()
                : ExternalAddresses.NONE;
        Set<InetSocketAddress> addresses = new LinkedHashSet<>();
        for (InetSocketAddress bound : listening(config)) {
            addresses.add(external.advertised(bound));
            addresses.add(bound);
        }
        List<Candidate> candidates = new ArrayList<>();
        for (InetSocketAddress a : addresses) {
            candidates.add(ServerTransport.hostUdp(a.getAddress().getHostAddress(), a.getPort()));
        }
        if (config.tcpPort() > 0) {
            // ICE-TCP (RFC 6544): passive candidates on the TCP listener, for networks that let no UDP through.
            for (InetSocketAddress a : addresses) {
                candidates.add(ServerTransport.hostTcpPassive(a.getAddress().getHostAddress(), config.tcpPort()));
            }
        }
        if (candidates.isEmpty()) {
            LOG.warning("The SFU has no address to offer peers: no UDP listener address is up");
        }
        return candidates;
    }

    /**
     * The addresses and port the SFU is reached at: every UDP listener's, a wildcard expanded to the host's addresses
     * of its family (link-local ones left out: a candidate needs no scope). TURN lets its allocations reach these
     * (and only these ports of the server's own addresses), so a peer that can only relay joins through our TURN.
     */
    static List<InetSocketAddress> listening(RelayConfig config) {
        if (!config.sfu().enabled() || config.udpPort() <= 0) {
            return List.of();
        }
        List<InetSocketAddress> out = new ArrayList<>();
        for (InetAddress a : ServerAddresses.withInterfaceAddresses(config.bindAddresses())) {
            if (!a.isAnyLocalAddress() && !a.isLinkLocalAddress()) {
                out.add(new InetSocketAddress(a, config.udpPort()));
            }
        }
        return out;
    }
}
