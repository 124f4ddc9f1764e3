package dev.switchboard.relay.transport;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.Channel;
import java.nio.channels.NetworkChannel;

/** Small socket helpers shared by the listeners. */
final class SocketSupport {

    private SocketSupport() {
    }

    /** The family to open a socket in so that it can bind {@code address}: an IPv6 address needs an IPv6 socket. */
    static ProtocolFamily familyOf(InetSocketAddress address) {
        if (address.isUnresolved()) {
            // A relay binds where the operator said; resolving a name here could pick another interface.
            throw new IllegalArgumentException("Bind address must be an IP address, got " + address);
        }
        return address.getAddress() instanceof Inet6Address ? StandardProtocolFamily.INET6
                : StandardProtocolFamily.INET;
    }

    /** {@code 127.0.0.1:3478} or {@code [::1]:3478}, for names and logs. */
    static String format(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        return (address.getAddress() instanceof Inet6Address ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    /**
     * Lets a listening socket and outgoing connections share one local address and port (RFC 6062: a relayed TCP
     * address both accepts and connects). Linux allows that only when every socket on the port asks for
     * {@code SO_REUSEPORT}; where the option is missing, an outgoing bind to a listening port fails instead.
     */
    static void shareLocalAddress(NetworkChannel channel) throws IOException {
        channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        if (channel.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
            channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
        }
    }

    static void closeQuietly(Channel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing more to release, and nobody to tell
        }
    }

    /** The wildcard address of an address's family (0.0.0.0 or ::). */
    static InetAddress wildcardOf(InetAddress address) {
        try {
            return InetAddress.getByAddress(new byte[address.getAddress().length]);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e); // only for a length other than 4 or 16
        }
    }
}
