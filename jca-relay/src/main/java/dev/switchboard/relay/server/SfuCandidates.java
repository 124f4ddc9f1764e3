package dev.switchboard.relay.server;

import dev.switchboard.relay.sfu.sdp.Candidate;
import dev.switchboard.relay.sfu.sdp.ServerTransport;
import dev.switchboard.relay.turn.ExternalAddresses;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The host candidates the SFU's answers list: the UDP listeners' addresses (a wildcard one stands for every address
 * of its family on an interface that is up), each preceded by its public address when the relay is behind a 1:1 NAT
 * ({@code switchboard.turn.external-address}), since that is where peers outside reach it.
 */
final class SfuCandidates {

    private static final Logger LOG = Logger.getLogger(SfuCandidates.class.getName());

    private SfuCandidates() {
    }

    static List<Candidate> of(RelayConfig config) {
        ExternalAddresses external = config.turn().enabled() ? config.turn().externalAddresses()
                : ExternalAddresses.NONE;
        Set<InetSocketAddress> addresses = new LinkedHashSet<>();
        for (InetAddress bind : config.bindAddresses()) {
            for (InetAddress a : bind.isAnyLocalAddress() ? interfaceAddresses(bind instanceof Inet6Address)
                    : List.of(bind)) {
                InetSocketAddress bound = new InetSocketAddress(a, config.udpPort());
                addresses.add(external.advertised(bound));
                addresses.add(bound);
            }
        }
        List<Candidate> candidates = new ArrayList<>();
        for (InetSocketAddress a : addresses) {
            candidates.add(ServerTransport.hostUdp(a.getAddress().getHostAddress(), a.getPort()));
        }
        if (candidates.isEmpty()) {
            LOG.warning("The SFU has no address to offer peers: no UDP listener address is up");
        }
        return candidates;
    }

    private static List<InetAddress> interfaceAddresses(boolean v6) {
        List<InetAddress> out = new ArrayList<>();
        try {
            for (NetworkInterface nif : NetworkInterface.networkInterfaces().toList()) {
                if (!nif.isUp()) {
                    continue;
                }
                for (InetAddress a : nif.inetAddresses().toList()) {
                    if ((a instanceof Inet6Address) == v6 && !a.isLinkLocalAddress()) {
                        out.add(a);
                    }
                }
            }
        } catch (SocketException e) {
            LOG.warning("The SFU cannot list the interfaces' addresses: " + e.getMessage());
        }
        return out;
    }
}
