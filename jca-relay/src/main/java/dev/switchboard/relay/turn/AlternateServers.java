package dev.switchboard.relay.turn;

import dev.switchboard.relay.stun.StunAddress;
import dev.switchboard.relay.stun.StunAttribute;
import dev.switchboard.relay.stun.StunEncoder;
import dev.switchboard.relay.transport.Protocol;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * The other TURN servers an Allocate goes to with 300 Try Alternate (RFC 8489 §10, RFC 8656 §7.2) when this relay's
 * total allocation quota is reached: what the application last said has room (in a cluster, the other nodes' TURN
 * listeners that are not full themselves), best first. Immutable, replaced whole; read on the loops only when an
 * Allocate meets the quota, never per packet.
 *
 * <p>What is picked answers RFC 8489 §10's rules: the same transport as the request (the client retries over the
 * transport it used), an address of the same family as the request's source, and never the address the request
 * came to (a relay does not send a client back to itself). ALTERNATE-DOMAIN goes with it over TLS when a domain is
 * known: the client checks the alternate's certificate against that name.
 */
public final class AlternateServers {

    /** None: the quota's answer is 486, as without a cluster. */
    public static final AlternateServers NONE = new AlternateServers(List.of());

    /**
     * One alternate TURN server.
     *
     * @param protocol the transport a client reaches it over
     * @param address  a resolved address (ALTERNATE-SERVER carries an IP address, never a name)
     * @param domain   the name its TLS certificate is for, or null
     */
    public record Alternate(Protocol protocol, InetSocketAddress address, String domain) {
        public Alternate {
            Objects.requireNonNull(protocol, "protocol");
            if (address.isUnresolved() || address.getAddress().isAnyLocalAddress() || address.getPort() == 0) {
                throw new IllegalArgumentException("an alternate server needs an address and a port: " + address);
            }
            if (domain != null) {
                StunEncoder.checkText(StunAttribute.ALTERNATE_DOMAIN, domain.getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private final List<Alternate> all;
    /** Per alternate: its address as STUN bytes, its domain in UTF-8 (null for none); built once, read only. */
    private final StunAddress[] addresses;
    private final byte[][] domains;

    private AlternateServers(List<Alternate> all) {
        this.all = List.copyOf(all);
        this.addresses = new StunAddress[this.all.size()];
        this.domains = new byte[this.all.size()][];
        for (int i = 0; i < addresses.length; i++) {
            Alternate a = this.all.get(i);
            addresses[i] = new StunAddress().set(a.address());
            domains[i] = a.domain() == null ? null : a.domain().getBytes(StandardCharsets.UTF_8);
        }
    }

    /** {@code alternates} in the order to try them. */
    public static AlternateServers of(List<Alternate> alternates) {
        return alternates.isEmpty() ? NONE : new AlternateServers(alternates);
    }

    public List<Alternate> all() {
        return all;
    }

    /**
     * The index of the first alternate for a request over {@code protocol} from an address of {@code family} that
     * came to {@code self}; -1 when none fits.
     */
    int pick(Protocol protocol, int family, StunAddress self) {
        for (int i = 0; i < addresses.length; i++) {
            if (all.get(i).protocol() == protocol && addresses[i].family() == family && !addresses[i].equals(self)) {
                return i;
            }
        }
        return -1;
    }

    /** Adds ALTERNATE-SERVER, and over TLS ALTERNATE-DOMAIN when known, for alternate {@code i}. */
    void addTo(StunEncoder out, int i) {
        out.addAddress(StunAttribute.ALTERNATE_SERVER, addresses[i]);
        if (domains[i] != null && all.get(i).protocol() == Protocol.TLS) {
            out.addText(StunAttribute.ALTERNATE_DOMAIN, domains[i]);
        }
    }
}
