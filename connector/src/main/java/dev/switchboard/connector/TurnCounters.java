package dev.switchboard.connector;

import java.io.Serializable;

/**
 * A point-in-time copy of the relay's TURN counters, for metrics. Gauges: allocations, permissions, channels;
 * everything else only grows while the relay runs.
 *
 * @param allocations        live allocations
 * @param permissions        live permissions
 * @param channels           live channel bindings
 * @param allocationsCreated allocations created
 * @param allocationsExpired allocations that ran out of lifetime
 * @param packetsToPeers     packets relayed client → peer
 * @param bytesToPeers       bytes relayed client → peer
 * @param packetsFromPeers   packets relayed peer → client
 * @param bytesFromPeers     bytes relayed peer → client
 * @param authFailures       requests refused for bad credentials
 * @param staleNonces        requests refused for a stale or foreign nonce
 * @param errorResponses     error responses sent
 * @param peerDropped        peer packets dropped for want of a permission
 * @param clientDropped      client data dropped (no permission or channel)
 * @param quotaRejections    allocations refused by a quota
 * @param bandwidthDropped   relayed packets dropped by an allocation's bandwidth cap
 */
public record TurnCounters(long allocations, long permissions, long channels, long allocationsCreated,
                           long allocationsExpired, long packetsToPeers, long bytesToPeers, long packetsFromPeers,
                           long bytesFromPeers, long authFailures, long staleNonces, long errorResponses,
                           long peerDropped, long clientDropped, long quotaRejections,
                           long bandwidthDropped) implements Serializable {
}
