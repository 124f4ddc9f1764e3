package dev.switchboard.relay.sfu.codec;

/** What {@link DescriptorRewriter#rewrite} did with a packet: forwarded (rewritten in place), or why it is dropped. */
public enum RewriteResult {
    /** Forward it: the descriptor now carries the subscriber's numbering (or had none to rewrite). */
    FORWARD,
    /** Forward it: the first packet from the newly forwarded source; the numbering continues from the last sent. */
    SWITCHED,
    /** Drop: nothing is forwarded to this subscriber now (no current source). */
    DROP_NOT_FORWARDING,
    /** Drop: from a source other than the one forwarded, e.g. a late or retransmitted packet of the old layer. */
    DROP_OTHER_SOURCE,
    /**
     * Drop: from the forwarded source, but of a picture older than the one forwarding started at (reordered across
     * the switch): its number would go backwards into the previous source's range.
     */
    DROP_BEFORE_SWITCH,
    /** Drop: the payload descriptor does not fit in the payload. */
    DROP_MALFORMED;

    public boolean forwarded() {
        return this == FORWARD || this == SWITCHED;
    }
}
