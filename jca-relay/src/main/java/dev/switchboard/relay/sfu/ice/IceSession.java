package dev.switchboard.relay.sfu.ice;

/**
 * One peer's ICE-lite session: our credentials and the peer's, the candidate pairs valid checks arrived on, and
 * the pair the peer nominated last, which is where media goes. Made by {@link IceLiteAgent#open}; state changes
 * only on the agent's thread.
 */
public final class IceSession {

    /** Why a session ended. */
    public enum Failure {
        /** No valid check arrived within the initial timeout. */
        NO_CHECK,
        /** Checks arrived, but no pair was nominated within the initial timeout. */
        NOT_NOMINATED,
        /** The selected pair (or every pair) went without a valid check for the consent timeout (RFC 7675). */
        CONSENT_LOST
    }

    /** Where the session is. */
    public enum State {
        /** Opened, no valid check yet. */
        NEW,
        /** Valid checks, no nomination yet. */
        CHECKING,
        /** A pair is selected. */
        CONNECTED,
        /** Failed (the listener was told) or closed by the owner; the agent has forgotten it. */
        CLOSED
    }

    private final IceCredentials credentials;
    private final Object attachment;
    final long createdNanos;
    final CandidatePair[] pairs;
    int pairCount;
    CandidatePair selected;
    State state = State.NEW;
    int ufragHash;
    int liveIndex = -1; // in IceSessions' list, -1 once removed

    IceSession(IceCredentials credentials, Object attachment, long createdNanos, int maxPairs) {
        this.credentials = credentials;
        this.attachment = attachment;
        this.createdNanos = createdNanos;
        this.pairs = new CandidatePair[maxPairs];
    }

    public IceCredentials credentials() {
        return credentials;
    }

    /** Whatever the owner passed to {@link IceLiteAgent#open} (e.g. its participant). */
    public Object attachment() {
        return attachment;
    }

    public State state() {
        return state;
    }

    /** The pair the peer nominated last (where media goes), or {@code null} before a nomination. */
    public CandidatePair selected() {
        return selected;
    }

    public int pairCount() {
        return pairCount;
    }

    /** Pair {@code i} of {@link #pairCount()}, in no particular order. */
    public CandidatePair pair(int i) {
        if (i < 0 || i >= pairCount) {
            throw new IndexOutOfBoundsException(i);
        }
        return pairs[i];
    }

    @Override
    public String toString() {
        return "IceSession(" + credentials.localUfrag() + ", " + state + ", " + pairCount + " pairs)";
    }
}
