package dev.switchboard.relay.transport;

/** What a handler did with a packet; the listener counts each outcome. */
public enum Outcome {
    /** Processed (answered, relayed, or accepted silently as an indication is). */
    HANDLED,
    /** Not for us or not allowed: dropped without a reply. */
    DROPPED,
    /** Looked like our protocol but could not be used: dropped, or answered with an error (e.g. STUN 400). */
    MALFORMED
}
