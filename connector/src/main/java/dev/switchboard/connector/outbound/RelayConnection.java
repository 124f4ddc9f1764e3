package dev.switchboard.connector.outbound;

import dev.switchboard.connector.EventLoopStatus;
import dev.switchboard.connector.ListenerStatus;
import dev.switchboard.connector.SfuCounters;
import dev.switchboard.connector.TcpRelayCounters;
import dev.switchboard.connector.TurnAlternate;
import dev.switchboard.connector.TurnCounters;
import dev.switchboard.connector.TurnRestCredential;
import dev.switchboard.connector.sfu.SfuAnswer;
import dev.switchboard.connector.sfu.SfuIceRestart;
import dev.switchboard.connector.sfu.SfuLimits;
import dev.switchboard.connector.sfu.SfuRoomStatus;
import dev.switchboard.connector.sfu.SfuServerOffer;
import dev.switchboard.connector.sfu.SfuOffer;
import dev.switchboard.connector.sfu.SfuRefusal;
import jakarta.resource.ResourceException;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A handle on the running relay, valid until {@link #close()}. Calls are cheap and never touch the packet path's
 * locks: they read snapshots. Later issues add TURN credential and allocation operations here.
 */
public interface RelayConnection extends AutoCloseable {

    /** Every listener the relay was configured with, including those that failed to bind. */
    List<ListenerStatus> listeners() throws ResourceException;

    /** The event loop's state and the faults, failures and restarts it has seen (health says what happened). */
    EventLoopStatus eventLoop() throws ResourceException;

    /** The SOFTWARE name the relay puts into its STUN messages. */
    String software() throws ResourceException;

    /** TURN's live counters; empty when TURN is off. */
    Optional<TurnCounters> turnCounters() throws ResourceException;

    /** TURN's RFC 6062 TCP relaying counters; empty when TURN is off. */
    Optional<TcpRelayCounters> tcpRelayCounters() throws ResourceException;

    /** The SFU's live counters; empty when the SFU is off or the relay is stopped. */
    Optional<SfuCounters> sfuCounters() throws ResourceException;

    /** The TURN realm: long-term keys are MD5(username ":" realm ":" password) in it. */
    String turnRealm() throws ResourceException;

    /**
     * Replaces every application-managed TURN key (the users the application keeps in its database) with
     * {@code keys}: TURN username → 16-byte long-term key. Configured static users and REST-API secrets are
     * unaffected. A username no longer present is refused from its next request on.
     */
    void replaceTurnKeys(Map<String, byte[]> keys) throws ResourceException;

    /** Adds or replaces one application-managed TURN key. */
    void putTurnKey(String username, byte[] key) throws ResourceException;

    /**
     * Removes one application-managed TURN key: the username is refused from now on, and the allocations it made end
     * at once (within milliseconds, on the relay's loops) rather than at their next request.
     */
    void removeTurnKey(String username) throws ResourceException;

    /**
     * Replaces the TURN REST-API user ids the relay refuses (deactivated users): their REST-API credentials, however
     * long still valid, are refused from now on and their allocations end at once. An id left out is accepted again.
     */
    void denyTurnRestUsers(Set<String> userIds) throws ResourceException;

    /** Adds one REST-API user id to those {@link #denyTurnRestUsers refused}; its allocations end at once. */
    void denyTurnRestUser(String userId) throws ResourceException;

    /**
     * A tag of the secret {@link #issueRestCredential} signs with (it reveals nothing of the secret): relays with
     * equal tags accept each other's credentials, so a cluster may name one another's TURN servers.
     */
    String turnSecretTag() throws ResourceException;

    /**
     * This node's TURN allocations per quota user (a REST-API user id, or the long-term username), now; what the
     * other nodes of a cluster count against the quotas.
     */
    Map<String, Integer> turnAllocationsByUser() throws ResourceException;

    /**
     * The other cluster nodes' TURN allocations per quota user (replacing the previous snapshot): the relay's quotas,
     * in total and per user, count them with its own.
     */
    void countTurnAllocationsElsewhere(Map<String, Integer> byUser) throws ResourceException;

    /**
     * Replaces the TURN servers the relay names in 300 Try Alternate when its total allocation quota is reached, best
     * first (in a cluster: the other nodes' listeners that are not full). A request goes to the first on its own
     * transport and its source's address family that is not the address it came to; with none (the default), the
     * quota's answer stays 486. Kept across relay restarts until replaced.
     *
     * @throws ResourceException for an alternate the relay cannot name (unknown transport, unresolved or wildcard
     *                           address, a domain that is not ASCII of at most 255 characters)
     */
    void setTurnAlternates(List<TurnAlternate> alternates) throws ResourceException;

    /**
     * True when the relay's total TURN allocation quota is reached, counting the other nodes' allocations: what this
     * node tells the others, which then do not send it clients. False when TURN is off.
     */
    boolean turnFull() throws ResourceException;

    /**
     * Mints a TURN REST-API credential for {@code userId}, valid for {@code ttl}, with the relay's newest REST-API
     * secret (a random one of this start when none is configured), so the application never holds the secret.
     *
     * @throws ResourceException when TURN is off or the relay is stopped
     */
    TurnRestCredential issueRestCredential(String userId, Duration ttl) throws ResourceException;

    /**
     * Opens an SFU session for a peer's offer (a WHIP publisher, a WHEP viewer): the relay makes the room on the
     * first offer for it, answers with its ICE-lite candidates and DTLS fingerprint, and serves the peer's media
     * from then on. Returns once the session exists; media flows when the peer's ICE and DTLS complete.
     *
     * @throws SfuRefusal for a bad offer, a full room, a relay at its caps, or an SFU that is off
     */
    SfuAnswer openSfuSession(SfuOffer offer) throws ResourceException;

    /**
     * Ends an SFU session (a WHIP/WHEP DELETE, a participant leaving): its media stops, viewers of what it
     * published see those tracks end; the room goes when its last session does.
     *
     * @throws SfuRefusal {@link SfuRefusal.Reason#NO_SUCH_SESSION} when the room has no such session
     */
    void closeSfuSession(String roomId, String sessionId) throws ResourceException;

    /**
     * Opens a subscriber session for a call participant: the relay offers the room's tracks but those published under
     * the same {@code participant} label. Answer it with {@link #answerSfuSubscriber}.
     *
     * @throws SfuRefusal for a full room, a relay at its caps, or an SFU that is off
     */
    SfuServerOffer openSfuSubscriber(String roomId, String participant, SfuLimits limits) throws ResourceException;

    /**
     * The subscriber's answer to the relay's latest offer (the first, or one from {@link #refreshSfuSubscriber}).
     *
     * @throws SfuRefusal BAD_OFFER for an answer that does not fit the offer, NO_SUCH_SESSION
     */
    void answerSfuSubscriber(String roomId, String sessionId, String sdp) throws ResourceException;

    /**
     * A new offer for a subscriber when the room's tracks changed since its last one (a publisher came, went, or
     * added a screen share); empty when nothing changed or an offer is still unanswered (ask again after the answer).
     */
    Optional<String> refreshSfuSubscriber(String roomId, String sessionId) throws ResourceException;

    /**
     * A publisher's new offer on its session (a track added or removed, e.g. a screen share); the answer comes back.
     * The room's subscribers then need new offers (an {@code SfuEvent} TRACKS_CHANGED says so too).
     */
    SfuAnswer updateSfuPublisher(String roomId, String sessionId, String sdp) throws ResourceException;

    /**
     * The largest video height a subscriber renders {@code trackId} at (its tile size); the relay picks the
     * simulcast layer from it and the bandwidth estimate. 0 pauses the track for that subscriber.
     */
    void setSfuVideoSize(String roomId, String sessionId, String trackId, int maxHeight) throws ResourceException;

    /**
     * Restarts ICE for a session whose peer sent new credentials (a WHIP/WHEP PATCH with a new ice-ufrag and ice-pwd):
     * the relay takes new credentials of its own and forgets the old pairs; DTLS and SRTP carry on once a check on
     * the new credentials arrives.
     *
     * @throws SfuRefusal BAD_OFFER for credentials that are not RFC 8839 ice-chars, NO_SUCH_SESSION
     */
    SfuIceRestart restartSfuIce(String roomId, String sessionId, String iceUfrag, String icePwd)
            throws ResourceException;

    /** The SFU room as served now; empty when the relay serves no such room. */
    Optional<SfuRoomStatus> sfuRoom(String roomId) throws ResourceException;

    @Override
    void close() throws ResourceException;
}
