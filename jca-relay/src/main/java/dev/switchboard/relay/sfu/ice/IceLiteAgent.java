package dev.switchboard.relay.sfu.ice;

import dev.switchboard.relay.ice.IceStun;
import dev.switchboard.relay.ice.Priority;
import dev.switchboard.relay.ice.RoleConflict;
import dev.switchboard.relay.ice.UseCandidate;
import dev.switchboard.relay.stun.AttributeSet;
import dev.switchboard.relay.stun.ErrorCode;
import dev.switchboard.relay.stun.StunAttribute;
import dev.switchboard.relay.stun.StunClass;
import dev.switchboard.relay.stun.StunEncoder;
import dev.switchboard.relay.stun.StunException;
import dev.switchboard.relay.stun.StunMessage;
import dev.switchboard.relay.stun.StunMethod;

import java.nio.ByteBuffer;
import java.security.SecureRandom;

/**
 * An ICE-lite agent (RFC 8445 §2.5, §7.3) for the SFU: it answers the connectivity checks of full peers, follows
 * their nominations, and drops peers that stop checking (consent freshness, RFC 7675). Always controlled; it sends
 * no checks of its own. Transport-agnostic: the caller hands in packets with their {@link FiveTuple}, a reply
 * buffer and the time, and sends what it is told to.
 *
 * <p>A Binding request is checked in the order of RFC 8489 §6.3 and §9.1.3 (see docs/sfu.md, ICE-lite):
 * FINGERPRINT (missing → 400, wrong → dropped), USERNAME and MESSAGE-INTEGRITY present (else 400), USERNAME naming
 * a session (else dropped and counted), MESSAGE-INTEGRITY under the session's password (else 401), unknown
 * comprehension-required attributes (420), attribute values and PRIORITY (400), the role (487), then the success
 * response with XOR-MAPPED-ADDRESS. Answers after authentication carry MESSAGE-INTEGRITY; all carry FINGERPRINT.
 *
 * <p>Not thread-safe, allocation-free for a check on a known pair and for {@link #pair} lookups: one agent per
 * event loop, and every call on that loop's thread, {@link #open} and {@link #close} included.
 */
public final class IceLiteAgent {

    /** What to do with the reply buffer after {@link #handle}. */
    public enum Result {
        /** A success response is in the reply buffer (position to limit): send it to the check's source. */
        ANSWERED,
        /** An error response (400, 401, 420, 487) is in the reply buffer: send it likewise. */
        REFUSED,
        /** Nothing to send; the reason is counted in {@link #counters()}. */
        DROPPED
    }

    /** RFC 8489's attributes and ICE's: anything else comprehension-required gets a 420. */
    private static final AttributeSet UNDERSTOOD = IceStun.REGISTRY.types();
    private static final int MAX_UNKNOWN = 16;
    private static final int OPEN_ATTEMPTS = 4;

    private final IceLiteSettings settings;
    private final IceListener listener;
    private final SecureRandom random;
    private final long tieBreaker;
    private final long consentNanos;
    private final long initialNanos;
    private final IceSessions sessions;
    private final IceCounters counters = new IceCounters();
    private final StunMessage message = new StunMessage();
    private final StunEncoder encoder = new StunEncoder();
    private final int[] unknown = new int[MAX_UNKNOWN];

    public IceLiteAgent(IceLiteSettings settings, IceListener listener, SecureRandom random) {
        this(settings, listener, random, random.nextLong());
    }

    /** @param tieBreaker our ICE tie-breaker (RFC 8445 §7.1.3); random unless a test needs a given one */
    IceLiteAgent(IceLiteSettings settings, IceListener listener, SecureRandom random, long tieBreaker) {
        this.settings = settings;
        this.listener = listener;
        this.random = random;
        this.tieBreaker = tieBreaker;
        this.consentNanos = settings.consentTimeout().toNanos();
        this.initialNanos = settings.initialTimeout().toNanos();
        this.sessions = new IceSessions(settings.maxSessions(), settings.maxPairsPerSession());
    }

    public IceLiteSettings settings() {
        return settings;
    }

    public IceCounters counters() {
        return counters;
    }

    public IceSessions sessions() {
        return sessions;
    }

    // ---------------------------------------------------------------- sessions

    /**
     * Opens a session for a peer's offer with fresh local credentials (put them in the answer).
     *
     * @param remoteUfrag the offer's {@code a=ice-ufrag}
     * @param remotePwd   the offer's {@code a=ice-pwd}
     * @param attachment  the owner's object for this peer, handed back by {@link IceSession#attachment()}
     * @param nowNanos    the caller's clock (the same one {@link #handle} and {@link #tick} get)
     * @return the session, or {@code null} when the agent holds {@link IceLiteSettings#maxSessions()} already
     * @throws IllegalArgumentException when the remote credentials are not ice-chars of the right length
     */
    public IceSession open(String remoteUfrag, String remotePwd, Object attachment, long nowNanos) {
        return open((char) 0, remoteUfrag, remotePwd, attachment, nowNanos);
    }

    /**
     * As {@link #open(String, String, Object, long)}, with the local ufrag's first character given (see
     * {@link IceCredentials#generate(SecureRandom, char, String, String)}); {@code (char) 0} draws it at random.
     */
    public IceSession open(char firstUfragChar, String remoteUfrag, String remotePwd, Object attachment,
                           long nowNanos) {
        for (int attempt = 0; attempt < OPEN_ATTEMPTS && sessions.size() < sessions.maxSessions(); attempt++) {
            IceCredentials credentials = firstUfragChar == 0
                    ? IceCredentials.generate(random, remoteUfrag, remotePwd)
                    : IceCredentials.generate(random, firstUfragChar, remoteUfrag, remotePwd);
            IceSession s = new IceSession(credentials, attachment, nowNanos, settings.maxPairsPerSession());
            if (sessions.add(s)) {
                return s;
            }
            // a local ufrag already in use (48 random bits: practically never): draw again
        }
        return null;
    }

    /**
     * Opens a session with local credentials chosen before the peer's were known: the SFU's offer to a subscriber
     * carries them, and the peer's come with its answer.
     *
     * @return the session, or {@code null} when the agent is full or the local ufrag is taken
     */
    public IceSession open(IceCredentials credentials, Object attachment, long nowNanos) {
        if (sessions.size() >= sessions.maxSessions()) {
            return null;
        }
        IceSession s = new IceSession(credentials, attachment, nowNanos, settings.maxPairsPerSession());
        return sessions.add(s) ? s : null;
    }

    /** Forgets a session (the participant left); no listener call. Its pairs no longer match {@link #pair}. */
    public void close(IceSession session) {
        if (sessions.remove(session)) {
            session.state = IceSession.State.CLOSED;
        }
    }

    /** The validated pair of a non-STUN packet's 5-tuple (DTLS, SRTP), or {@code null}: drop the packet. */
    public CandidatePair pair(FiveTuple tuple) {
        return sessions.pair(tuple);
    }

    // ---------------------------------------------------------------- checks

    /**
     * True when {@code m} is a Binding request whose USERNAME names a session of this agent: for an owner that
     * shares the port with other STUN services, to tell its checks from their requests. Allocates nothing.
     */
    public boolean isCheckForSession(StunMessage m) {
        if (!isBindingRequest(m)) {
            return false;
        }
        int username = m.indexOf(StunAttribute.USERNAME);
        return username >= 0 && sessions.byUsername(m, username) != null;
    }

    /**
     * Handles one STUN message (a datagram, or one RFC 4571 frame's payload over TCP) from {@code tuple}.
     *
     * @param reply where an answer is written, at its position; over TCP the caller frames it
     *              ({@link Rfc4571Framer}). At least 128 bytes.
     */
    public Result handle(ByteBuffer packet, FiveTuple tuple, ByteBuffer reply, long nowNanos) {
        try {
            message.decode(packet);
        } catch (StunException e) {
            if (!message.hasHeader() || !isBindingRequest(message)) {
                counters.ignored++;
                return Result.DROPPED;
            }
            return badRequest(reply, null);
        }
        return handle(message, tuple, reply, nowNanos);
    }

    /** As {@link #handle(ByteBuffer, FiveTuple, ByteBuffer, long)} for a message the caller decoded. */
    public Result handle(StunMessage request, FiveTuple tuple, ByteBuffer reply, long nowNanos) {
        if (!isBindingRequest(request)) {
            counters.ignored++; // a lite agent sends no requests, so responses are strays; indications keep NATs open
            return Result.DROPPED;
        }
        if (!request.hasFingerprint()) {
            return badRequest(request, reply, null); // RFC 8445 §7.2.2: checks carry FINGERPRINT
        }
        if (!request.checkFingerprint()) {
            counters.badFingerprint++; // RFC 8489 §7.3: discarded, it may not even be STUN
            return Result.DROPPED;
        }
        int username = request.indexOf(StunAttribute.USERNAME);
        if (username < 0 || !request.hasMessageIntegrity()) {
            return badRequest(request, reply, null); // RFC 8489 §9.1.3
        }
        IceSession s = sessions.byUsername(request, username);
        if (s == null) {
            counters.unknownUsername++; // no answer to strangers: docs/sfu.md, ICE-lite
            return Result.DROPPED;
        }
        byte[] key = s.credentials().localKey();
        if (!request.checkMessageIntegrity(key)) {
            counters.badIntegrity++;
            return error(request, reply, ErrorCode.UNAUTHENTICATED, null); // §9.1.3: no MESSAGE-INTEGRITY on a 401
        }
        int count = request.unknownComprehensionRequired(UNDERSTOOD, unknown);
        if (count > 0) {
            counters.unknownAttributes++;
            encoder.beginResponse(reply, request, StunClass.ERROR_RESPONSE)
                    .addErrorCode(ErrorCode.UNKNOWN_ATTRIBUTE).addUnknownAttributes(unknown, count);
            return seal(key, Result.REFUSED);
        }
        long priority;
        boolean useCandidate;
        RoleConflict.Resolution role;
        try {
            IceStun.REGISTRY.validate(request);
            priority = Priority.get(request);
            useCandidate = UseCandidate.isPresent(request);
            role = RoleConflict.resolve(false, tieBreaker, request);
        } catch (StunException e) {
            return badRequest(request, reply, key);
        }
        if (priority < 1) {
            return badRequest(request, reply, key); // RFC 8445 §7.2.2: PRIORITY is required (and 1..2^32-1)
        }
        if (role != RoleConflict.Resolution.NONE) {
            // The peer says it is controlled too. Whichever way §7.3.1.1 resolves it, a lite agent cannot take the
            // controlling role (it runs no checks), so it keeps its role and answers 487; the full peer then
            // switches to controlling (§7.2.5.1), as §6.1.1 has it do with a lite peer anyway.
            counters.roleConflicts++;
            RoleConflict.addErrorCode(encoder.beginResponse(reply, request, StunClass.ERROR_RESPONSE));
            return seal(key, Result.REFUSED);
        }
        CandidatePair pair = sessions.pairFor(s, tuple, counters);
        pair.priority = priority;
        pair.lastCheckNanos = nowNanos;
        if (s.state == IceSession.State.NEW) {
            s.state = IceSession.State.CHECKING;
        }
        if (useCandidate) {
            pair.nominated = true;
            if (s.selected != pair) {
                // Follow the latest nomination: aggressive nomination and Chromium's renomination both move the
                // selection by nominating again, possibly a lower-priority pair (docs/sfu.md, ICE-lite).
                CandidatePair previous = s.selected;
                s.selected = pair;
                s.state = IceSession.State.CONNECTED;
                counters.selections++;
                listener.selected(s, previous);
            }
        }
        counters.answered++;
        encoder.beginResponse(reply, request, StunClass.SUCCESS_RESPONSE)
                .addXorAddress(StunAttribute.XOR_MAPPED_ADDRESS, pair.mapped);
        return seal(key, Result.ANSWERED);
    }

    private static boolean isBindingRequest(StunMessage m) {
        return m.method() == StunMethod.BINDING && m.isRequest();
    }

    private Result badRequest(ByteBuffer reply, byte[] key) {
        return badRequest(message, reply, key);
    }

    private Result badRequest(StunMessage request, ByteBuffer reply, byte[] key) {
        counters.malformed++;
        return error(request, reply, ErrorCode.BAD_REQUEST, key);
    }

    private Result error(StunMessage request, ByteBuffer reply, int code, byte[] key) {
        encoder.beginResponse(reply, request, StunClass.ERROR_RESPONSE).addErrorCode(code);
        return seal(key, Result.REFUSED);
    }

    /** Adds MESSAGE-INTEGRITY (when authenticated) and FINGERPRINT, and finishes the reply. */
    private Result seal(byte[] key, Result result) {
        if (key != null) {
            encoder.addMessageIntegrity(key);
        }
        encoder.addFingerprint().finish();
        return result;
    }

    // ---------------------------------------------------------------- time

    /**
     * Applies the timeouts at {@code nowNanos}: pairs without a valid check for the consent timeout are removed;
     * a session whose selected pair goes, or that loses every pair, fails with {@link IceSession.Failure#CONSENT_LOST};
     * a session not nominated within the initial timeout fails with {@link IceSession.Failure#NO_CHECK} or
     * {@link IceSession.Failure#NOT_NOMINATED}. Failed sessions are forgotten, then reported to the listener.
     *
     * <p>Cost: one pass over the sessions and their pairs (at most {@code maxPairsPerSession} each), allocating
     * nothing. Call it about once a second: timeouts are then late by up to that period.
     */
    public void tick(long nowNanos) {
        for (int i = sessions.size() - 1; i >= 0; i--) {
            if (i >= sessions.size()) {
                continue; // a listener closed sessions during this pass
            }
            IceSession s = sessions.get(i);
            boolean hadSelection = s.selected != null;
            for (int k = s.pairCount - 1; k >= 0; k--) {
                CandidatePair p = s.pairs[k];
                if (nowNanos - p.lastCheckNanos >= consentNanos) {
                    sessions.removePair(s, p);
                    counters.pairsExpired++;
                }
            }
            IceSession.Failure failure = null;
            if (hadSelection && s.selected == null) {
                failure = IceSession.Failure.CONSENT_LOST;
            } else if (s.state != IceSession.State.NEW && s.pairCount == 0) {
                failure = IceSession.Failure.CONSENT_LOST;
            } else if (s.selected == null && nowNanos - s.createdNanos >= initialNanos) {
                failure = s.state == IceSession.State.NEW ? IceSession.Failure.NO_CHECK
                        : IceSession.Failure.NOT_NOMINATED;
            }
            if (failure != null) {
                sessions.remove(s);
                s.state = IceSession.State.CLOSED;
                counters.failures++;
                listener.failed(s, failure);
            }
        }
    }
}
