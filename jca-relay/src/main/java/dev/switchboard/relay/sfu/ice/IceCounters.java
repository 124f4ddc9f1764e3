package dev.switchboard.relay.sfu.ice;

/**
 * What an {@link IceLiteAgent} did with the STUN it was given, for meters and tests. Written by the agent's
 * thread only; read elsewhere without a lock (plain longs, so a reader may see a slightly stale value).
 */
public final class IceCounters {

    long answered;
    long unknownUsername;
    long badIntegrity;
    long badFingerprint;
    long malformed;
    long unknownAttributes;
    long roleConflicts;
    long ignored;
    long pairsAdded;
    long pairsEvicted;
    long pairsExpired;
    long selections;
    long failures;

    /** Checks answered with success. */
    public long answered() {
        return answered;
    }

    /** Checks dropped because USERNAME names no session (no answer: see docs/sfu.md, ICE-lite). */
    public long unknownUsername() {
        return unknownUsername;
    }

    /** Checks answered 401 because MESSAGE-INTEGRITY did not match the session's password. */
    public long badIntegrity() {
        return badIntegrity;
    }

    /** Messages dropped because FINGERPRINT did not match. */
    public long badFingerprint() {
        return badFingerprint;
    }

    /** Requests answered 400 (broken layout, a required attribute missing or malformed). */
    public long malformed() {
        return malformed;
    }

    /** Requests answered 420. */
    public long unknownAttributes() {
        return unknownAttributes;
    }

    /** Requests answered 487 (the peer claimed the controlled role too). */
    public long roleConflicts() {
        return roleConflicts;
    }

    /** Not STUN, not Binding, indications (keep-alives) and responses: dropped without an answer. */
    public long ignored() {
        return ignored;
    }

    public long pairsAdded() {
        return pairsAdded;
    }

    /** Pairs pushed out by a new 5-tuple when the session had its maximum. */
    public long pairsEvicted() {
        return pairsEvicted;
    }

    /** Pairs removed for lack of consent (no valid check within the consent timeout). */
    public long pairsExpired() {
        return pairsExpired;
    }

    /** Nominations that moved a session's selected pair (the first one included). */
    public long selections() {
        return selections;
    }

    /** Sessions failed (consent lost or never connected). */
    public long failures() {
        return failures;
    }
}
