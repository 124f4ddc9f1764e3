package dev.switchboard.relay.turn;

import dev.switchboard.relay.transport.Protocol;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;

/**
 * An allocation as {@link TurnObserver} sees it: an immutable snapshot taken when it starts or ends.
 *
 * @param id               unique among this server's allocations
 * @param username         the authenticated USERNAME that created it
 * @param transport        the client's transport (UDP or TCP)
 * @param client           the client's address (its side of the 5-tuple)
 * @param server           the server's address the client reached (the other side)
 * @param relayed          its relayed transport addresses: one, or two for a dual allocation
 * @param started          when it was created
 * @param ended            when it ended; {@code null} in the start notice
 * @param packetsToPeers   datagrams relayed from the client to peers
 * @param bytesToPeers     application bytes relayed from the client to peers
 * @param packetsFromPeers datagrams relayed from peers to the client
 * @param bytesFromPeers   application bytes relayed from peers to the client
 * @param peers            peer IP addresses it was given permissions for, in order, at most
 *                         {@link TurnConfig#maxTrackedPeers()}
 * @param peersTruncated   true when there were more than {@code peers} holds
 * @param endReason        why it ended; {@code null} in the start notice
 */
public record AllocationRecord(long id, String username, Protocol transport, InetSocketAddress client,
                               InetSocketAddress server, List<InetSocketAddress> relayed, Instant started,
                               Instant ended, long packetsToPeers, long bytesToPeers, long packetsFromPeers,
                               long bytesFromPeers, List<InetAddress> peers, boolean peersTruncated,
                               EndReason endReason) {

    public AllocationRecord {
        relayed = List.copyOf(relayed);
        peers = List.copyOf(peers);
    }

    /** Why an allocation ended. */
    public enum EndReason {
        /** Its lifetime ran out without a Refresh. */
        EXPIRED,
        /** The client deleted it with a Refresh of lifetime 0. */
        DELETED,
        /** Its TCP connection closed. */
        CONNECTION_CLOSED,
        /** The server shut down. */
        SERVER_CLOSED,
        /**
         * Its user's credential was disabled or deleted: the next request made on it (Refresh, CreatePermission,
         * ChannelBind) found no key for the username, was refused with 401, and ended it.
         */
        CREDENTIAL_REVOKED
    }
}
