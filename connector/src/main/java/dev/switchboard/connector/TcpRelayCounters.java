package dev.switchboard.connector;

import java.io.Serializable;

/**
 * A point-in-time copy of the relay's RFC 6062 (TURN TCP relaying) counters, for metrics. {@code connections} is a
 * gauge; everything else only grows while the relay runs. The bytes are also part of {@link TurnCounters}' relayed
 * bytes, which count every transport.
 *
 * @param connections             peer data connections alive now: connecting, waiting for a ConnectionBind, or bound
 * @param connectAttempts         Connect requests that asked the relay to dial a peer
 * @param connectsEstablished     Connects whose peer accepted (answered with a CONNECTION-ID)
 * @param connectFailures         Connects answered 447: refused, unreachable or too slow
 * @param peerConnectionsAccepted peer-initiated connections announced to their client with a ConnectionAttempt
 * @param connectionsBound        ConnectionBinds that spliced a client data connection to its peer connection
 * @param bytesToPeers            bytes spliced client → peer
 * @param bytesFromPeers          bytes spliced peer → client
 */
public record TcpRelayCounters(long connections, long connectAttempts, long connectsEstablished,
                               long connectFailures, long peerConnectionsAccepted, long connectionsBound,
                               long bytesToPeers, long bytesFromPeers) implements Serializable {
}
