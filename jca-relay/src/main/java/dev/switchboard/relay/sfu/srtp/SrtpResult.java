package dev.switchboard.relay.sfu.srtp;

/**
 * What {@link SrtpContext}'s protect and unprotect methods answer: a non-negative number is the packet's new
 * length; a negative one is one of these codes, and then the caller's buffer is as it was. Plain ints, so the
 * packet path returns a result without allocating or throwing.
 */
public final class SrtpResult {

    /** Shorter than a header (plus tag, and for SRTCP the index word), or not RTP/RTCP version 2. */
    public static final int MALFORMED = -1;
    /** The authentication tag did not match: forged, corrupted, or keyed for someone else. */
    public static final int AUTH_FAILED = -2;
    /** This packet index was seen already, or is older than the replay window reaches. */
    public static final int REPLAYED = -3;
    /** An SSRC new to a context that already tracks its maximum of SSRCs: refused and counted. */
    public static final int SSRC_LIMIT = -4;
    /** Protect only: the buffer has no room behind the packet for the tag (and SRTCP index). */
    public static final int NO_ROOM = -5;
    /**
     * Protect only: the packet index space is used up (2^48 RTP packets or 2^31 RTCP packets on one SSRC);
     * going on would reuse keystream, so the session must be re-keyed.
     */
    public static final int EXHAUSTED = -6;

    private SrtpResult() {
    }

    /** True for a code, false for a length. */
    public static boolean isError(int result) {
        return result < 0;
    }

    /** A name for logs and statistics. */
    public static String describe(int result) {
        switch (result) {
            case MALFORMED:
                return "malformed";
            case AUTH_FAILED:
                return "auth-failed";
            case REPLAYED:
                return "replayed";
            case SSRC_LIMIT:
                return "ssrc-limit";
            case NO_ROOM:
                return "no-room";
            case EXHAUSTED:
                return "exhausted";
            default:
                return result >= 0 ? "length " + result : "unknown " + result;
        }
    }
}
