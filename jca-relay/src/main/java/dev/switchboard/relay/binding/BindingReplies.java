package dev.switchboard.relay.binding;

/**
 * How the answers of the Binding method leave the server. {@link StunBindingHandler#answer} decides what to answer
 * (RFC 8489 §6.3: 420, 400 or the reflexive address); an implementation decides how: a STUN-only server sends at
 * once, a TURN server first passes each reply through its guard for unauthenticated sources (rate limit, size).
 */
public interface BindingReplies {

    /** 420 Unknown Attribute listing {@code types[0, count)} in UNKNOWN-ATTRIBUTES. */
    void unknownAttributes(int[] types, int count);

    /** An error response with {@code code} (400 for a bad attribute value). */
    void error(int code);

    /** A success response with the source's address in XOR-MAPPED-ADDRESS. */
    void mappedAddress();
}
