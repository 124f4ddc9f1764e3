package dev.switchboard.relay.sfu.bwe;

/** What the delay-based detector concludes from the trend of one-way delay: the signal the rate controller acts on. */
enum BandwidthUsage {
    /** Delay is growing: a queue is building at the bottleneck. */
    OVERUSE,
    /** Delay is flat. */
    NORMAL,
    /** Delay is falling: a queue is draining. */
    UNDERUSE
}
