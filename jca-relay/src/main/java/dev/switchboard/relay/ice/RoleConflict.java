package dev.switchboard.relay.ice;

import dev.switchboard.relay.stun.StunEncoder;
import dev.switchboard.relay.stun.StunException;
import dev.switchboard.relay.stun.StunMessage;

import java.nio.charset.StandardCharsets;

/**
 * Role conflicts (RFC 8445 §7.3.1.1): what a binding request's ICE-CONTROLLED/ICE-CONTROLLING asks of the agent
 * receiving it, and the 487 (Role Conflict) error response that refuses it.
 */
public final class RoleConflict {

    /** RFC 8445 §7.3.1.1 (the IANA "STUN Error Codes" registry). */
    public static final int CODE = 487;

    private static final byte[] REASON = "Role Conflict".getBytes(StandardCharsets.UTF_8);

    /** What the receiver of a request does about the roles. */
    public enum Resolution {
        /** No conflict (or no role attribute): answer the request. */
        NONE,
        /** The receiver switches role (controlling ↔ controlled), then answers the request. */
        SWITCH_ROLE,
        /** The receiver keeps its role and answers 487 ({@link #addErrorCode}). */
        ANSWER_487
    }

    private RoleConflict() {
    }

    /**
     * Applies §7.3.1.1 to a request: a controlling receiver seeing ICE-CONTROLLING, or a controlled one seeing
     * ICE-CONTROLLED, compares tie-breakers (unsigned); the larger-or-equal one keeps its role. The receiver
     * answers 487 when its own tie-breaker is at least the request's if it is controlling, or less than the
     * request's if it is controlled; otherwise it switches role.
     *
     * @param controlling the receiver's current role
     * @param tieBreaker  the receiver's own tie-breaker
     * @throws StunException when the role attribute is not 8 bytes
     */
    public static Resolution resolve(boolean controlling, long tieBreaker, StunMessage request)
            throws StunException {
        IceRole same = IceRole.of(controlling);
        if (!same.isPresent(request)) {
            return Resolution.NONE;
        }
        boolean oursWins = Long.compareUnsigned(tieBreaker, same.tieBreaker(request)) >= 0;
        if (controlling) {
            return oursWins ? Resolution.ANSWER_487 : Resolution.SWITCH_ROLE;
        }
        return oursWins ? Resolution.SWITCH_ROLE : Resolution.ANSWER_487;
    }

    /** Appends ERROR-CODE 487 with its reason phrase, allocation-free; the caller began an error response. */
    public static StunEncoder addErrorCode(StunEncoder out) {
        return out.addErrorCode(CODE, REASON);
    }
}
