package dev.switchboard.relay.sfu.ice;

/**
 * What the ICE-lite agent tells its owner (the SFU), called on the agent's thread from {@link IceLiteAgent#handle}
 * and {@link IceLiteAgent#tick}. Implementations must not block; they may {@link IceLiteAgent#close} sessions.
 */
public interface IceListener {

    /**
     * The peer nominated a pair ({@link IceSession#selected()}), the first or a new one: media goes there from now.
     *
     * @param previous the pair media went to before, or {@code null} for the first nomination
     */
    void selected(IceSession session, CandidatePair previous);

    /** The session is over and forgotten by the agent: drop the participant. */
    void failed(IceSession session, IceSession.Failure reason);
}
