package dev.switchboard.relay.turn.policy;

import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The server's own addresses for {@link DefaultPeerPolicy}: a wildcard bind address (0.0.0.0, ::) stands for
 * every address of the host, and the policy must refuse those real addresses, not just the wildcard. Runs once at
 * configuration time (interface enumeration is a system call, not for event-loop threads).
 */
public final class ServerAddresses {

    private ServerAddresses() {
    }

    /**
     * {@code bindAddresses} with each wildcard replaced by all addresses of all network interfaces of that family
     * (the wildcard itself is kept; it is refused by default anyway).
     *
     * @throws UncheckedIOException when the interfaces cannot be listed
     */
    public static List<InetAddress> withInterfaceAddresses(Collection<InetAddress> bindAddresses) {
        Set<InetAddress> out = new LinkedHashSet<>(bindAddresses);
        boolean v4 = false;
        boolean v6 = false;
        for (InetAddress a : bindAddresses) {
            if (a.isAnyLocalAddress()) {
                v4 |= a.getAddress().length == 4;
                v6 |= a.getAddress().length == 16;
            }
        }
        if (!v4 && !v6) {
            return List.copyOf(out);
        }
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                    // A Linux dual-stack "::" socket also accepts IPv4, but its IPv4 addresses are listed as such.
                    if (a.getAddress().length == 4 ? v4 || v6 : v6) {
                        out.add(a);
                    }
                }
            }
        } catch (SocketException e) {
            throw new UncheckedIOException("cannot list the network interfaces", e);
        }
        return List.copyOf(out);
    }
}
