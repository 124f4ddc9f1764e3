package dev.switchboard.connector.inbound;

import java.time.Instant;
import java.util.List;

/**
 * A TURN allocation's life, for accounting: sent when it starts and when it ends (with its traffic).
 *
 * @param at              when the event happened
 * @param node            the server node that holds the allocation
 * @param kind            started or ended
 * @param allocationId    unique per node for the relay's lifetime (node + id is globally unique)
 * @param username        the authenticated TURN username (for REST-API credentials: {@code expiry:user})
 * @param transport       client transport: udp, tcp or tls
 * @param client          the client's address as {@code ip:port}
 * @param relayed         the relayed transport address as {@code ip:port}
 * @param started         when the allocation was created
 * @param ended           when it ended ({@code null} while running)
 * @param packetsToPeers  packets relayed from the client to peers
 * @param bytesToPeers    application bytes relayed from the client to peers
 * @param packetsFromPeers packets relayed from peers to the client
 * @param bytesFromPeers  application bytes relayed from peers to the client
 * @param peers           peer addresses the allocation talked to (bounded; may be truncated)
 * @param endReason       why it ended (expired, refreshed to 0, connection closed, ...), empty while running
 */
public record AllocationEvent(Instant at, String node, Kind kind, long allocationId, String username, String transport,
                              String client, String relayed, Instant started, Instant ended,
                              long packetsToPeers, long bytesToPeers, long packetsFromPeers, long bytesFromPeers,
                              List<String> peers, String endReason) implements RelayEvent {

    public enum Kind { STARTED, ENDED }

    public AllocationEvent {
        peers = List.copyOf(peers);
    }
}
