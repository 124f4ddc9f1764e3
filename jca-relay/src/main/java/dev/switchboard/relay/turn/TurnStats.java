package dev.switchboard.relay.turn;

import java.util.concurrent.atomic.LongAdder;

/**
 * Live counters of a {@link TurnServer}, for metrics: written on the event loop, readable from any thread without
 * locks. An uncontended {@link LongAdder} update is one CAS on a field and allocates nothing, so the relay path can
 * afford it; reads sum the adders, so a set of values read together is not an atomic snapshot.
 */
public final class TurnStats {

    final LongAdder allocations = new LongAdder();
    final LongAdder permissions = new LongAdder();
    final LongAdder channels = new LongAdder();
    final LongAdder allocationsCreated = new LongAdder();
    final LongAdder allocationsExpired = new LongAdder();
    final LongAdder packetsToPeers = new LongAdder();
    final LongAdder bytesToPeers = new LongAdder();
    final LongAdder packetsFromPeers = new LongAdder();
    final LongAdder bytesFromPeers = new LongAdder();
    final LongAdder authFailures = new LongAdder();
    final LongAdder staleNonces = new LongAdder();
    final LongAdder errorResponses = new LongAdder();
    final LongAdder peerDroppedNoPermission = new LongAdder();
    final LongAdder clientDropped = new LongAdder();
    final LongAdder quotaRejections = new LongAdder();
    final LongAdder redirects = new LongAdder();
    final LongAdder bandwidthDropped = new LongAdder();
    final LongAdder allocationsRevoked = new LongAdder();
    final LongAdder rateLimited = new LongAdder();
    final LongAdder rateLimiterEvictions = new LongAdder();
    final LongAdder repliesTrimmed = new LongAdder();
    final LongAdder amplificationDropped = new LongAdder();
    final LongAdder tcpConnections = new LongAdder();
    final LongAdder tcpConnectFailures = new LongAdder();
    final LongAdder tcpConnectAttempts = new LongAdder();
    final LongAdder tcpConnectsEstablished = new LongAdder();
    final LongAdder tcpPeerConnectionsAccepted = new LongAdder();
    final LongAdder tcpConnectionsBound = new LongAdder();
    final LongAdder tcpBytesToPeers = new LongAdder();
    final LongAdder tcpBytesFromPeers = new LongAdder();

    TurnStats() {
    }

    /** Allocations alive now. */
    public long allocations() {
        return allocations.sum();
    }

    /** Permissions alive now, over all allocations. */
    public long permissions() {
        return permissions.sum();
    }

    /** Channel bindings alive now, over all allocations. */
    public long channels() {
        return channels.sum();
    }

    public long allocationsCreated() {
        return allocationsCreated.sum();
    }

    /** Allocations that ended because their lifetime ran out. */
    public long allocationsExpired() {
        return allocationsExpired.sum();
    }

    /** Datagrams relayed from clients to peers (ChannelData and Send indications). */
    public long packetsToPeers() {
        return packetsToPeers.sum();
    }

    public long bytesToPeers() {
        return bytesToPeers.sum();
    }

    /** Datagrams relayed from peers to clients (ChannelData and Data indications). */
    public long packetsFromPeers() {
        return packetsFromPeers.sum();
    }

    public long bytesFromPeers() {
        return bytesFromPeers.sum();
    }

    /** Requests refused with 401 after carrying credentials: unknown user, wrong realm, bad MESSAGE-INTEGRITY. */
    public long authFailures() {
        return authFailures.sum();
    }

    /** Requests answered 438 Stale Nonce. */
    public long staleNonces() {
        return staleNonces.sum();
    }

    /** Error responses of every kind sent (the first 401 of every client included). */
    public long errorResponses() {
        return errorResponses.sum();
    }

    /** Datagrams from peers dropped for want of a permission. */
    public long peerDroppedNoPermission() {
        return peerDroppedNoPermission.sum();
    }

    /** ChannelData and Send indications from clients dropped: no allocation, channel or permission. */
    public long clientDropped() {
        return clientDropped.sum();
    }

    /** Allocate requests refused with 486 (allocation quotas). */
    public long quotaRejections() {
        return quotaRejections.sum();
    }

    /** Allocations sent to another TURN server with 300 Try Alternate (the total quota reached here). */
    public long redirects() {
        return redirects.sum();
    }

    /** Relayed data dropped for exceeding its allocation's bandwidth cap, either direction. */
    public long bandwidthDropped() {
        return bandwidthDropped.sum();
    }

    /** Allocations ended because their user's credential was disabled or deleted (found at their next request). */
    public long allocationsRevoked() {
        return allocationsRevoked.sum();
    }

    /** Unauthenticated requests left unanswered because their source had used up its rate limit. */
    public long rateLimited() {
        return rateLimited.sum();
    }

    /**
     * Sources the rate limiter forgot early to make room: a sign its table is too small for the traffic, or of a
     * flood from many addresses (a forgotten source starts again with a full bucket).
     */
    public long rateLimiterEvictions() {
        return rateLimiterEvictions.sum();
    }

    /** Replies to unauthenticated UDP requests sent shrunk (no SOFTWARE, no reason phrase) to fit the size limit. */
    public long repliesTrimmed() {
        return repliesTrimmed.sum();
    }

    /** Unauthenticated UDP requests left unanswered because even the shrunk reply was larger than allowed. */
    public long amplificationDropped() {
        return amplificationDropped.sum();
    }

    /** RFC 6062 peer data connections alive now: connecting, waiting for a ConnectionBind, or bound. */
    public long tcpConnections() {
        return tcpConnections.sum();
    }

    /** Connect requests answered 447: the peer refused, did not answer in time, or could not be reached. */
    public long tcpConnectFailures() {
        return tcpConnectFailures.sum();
    }

    /** Connect requests that asked the relay to dial a peer (each ends established or failed, unless abandoned). */
    public long tcpConnectAttempts() {
        return tcpConnectAttempts.sum();
    }

    /** Connect requests whose peer accepted: answered with a CONNECTION-ID. */
    public long tcpConnectsEstablished() {
        return tcpConnectsEstablished.sum();
    }

    /** Connections peers made to relayed TCP addresses and that were announced with a ConnectionAttempt. */
    public long tcpPeerConnectionsAccepted() {
        return tcpPeerConnectionsAccepted.sum();
    }

    /** ConnectionBind requests that spliced a client data connection to its peer connection. */
    public long tcpConnectionsBound() {
        return tcpConnectionsBound.sum();
    }

    /** Bytes spliced from client data connections to peers (part of {@link #bytesToPeers()} too). */
    public long tcpBytesToPeers() {
        return tcpBytesToPeers.sum();
    }

    /** Bytes spliced from peers to client data connections (part of {@link #bytesFromPeers()} too). */
    public long tcpBytesFromPeers() {
        return tcpBytesFromPeers.sum();
    }

    @Override
    public String toString() {
        return "TurnStats[allocations=" + allocations() + ", permissions=" + permissions() + ", channels="
                + channels() + ", toPeers=" + packetsToPeers() + "/" + bytesToPeers() + "B, fromPeers="
                + packetsFromPeers() + "/" + bytesFromPeers() + "B, authFailures=" + authFailures() + ", rateLimited="
                + rateLimited() + ", amplificationDropped=" + amplificationDropped() + ", tcpConnections="
                + tcpConnections() + "]";
    }
}
