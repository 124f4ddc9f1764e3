package dev.switchboard.connector;

import java.io.Serializable;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Another TURN server the relay may send an Allocate to with 300 Try Alternate (RFC 8489 §10) when its total
 * allocation quota is reached: in a cluster, another node's TURN listener with room.
 *
 * @param transport {@code udp}, {@code tcp} or {@code tls}, as {@link ListenerStatus#transport()} names them: only a
 *                  request over the same transport is sent there
 * @param address   its resolved address (ALTERNATE-SERVER carries an IP address)
 * @param domain    the name its TLS certificate is for (sent as ALTERNATE-DOMAIN), or null
 */
public record TurnAlternate(String transport, InetSocketAddress address, String domain) implements Serializable {

    public TurnAlternate {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(address, "address");
    }
}
