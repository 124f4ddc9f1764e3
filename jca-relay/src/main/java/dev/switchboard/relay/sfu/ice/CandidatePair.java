package dev.switchboard.relay.sfu.ice;

import dev.switchboard.relay.stun.StunAddress;
import dev.switchboard.relay.transport.Protocol;

import java.net.InetSocketAddress;

/**
 * A candidate pair a lite agent has seen a valid check on (RFC 8445 §7.3.1.4): our candidate (the local address
 * the check arrived on) and the peer's (its source, peer-reflexive or not), with the protocol. Made once per new
 * 5-tuple, capped per session ({@link IceLiteSettings#maxPairsPerSession}); owned by the agent's event loop.
 */
public final class CandidatePair {

    private final IceSession session;
    final FiveTuple tuple = new FiveTuple();
    final StunAddress mapped = new StunAddress(); // the XOR-MAPPED-ADDRESS of every answer, read once
    int hash;           // of the tuple, for the 5-tuple table
    long priority;      // the peer's PRIORITY, as last sent
    long lastCheckNanos; // consent freshness (RFC 7675 §5.1)
    boolean nominated;

    CandidatePair(IceSession session, FiveTuple from, int hash) {
        this.session = session;
        this.tuple.copy(from);
        this.mapped.set(from.remote());
        this.hash = hash;
    }

    public IceSession session() {
        return session;
    }

    public Protocol protocol() {
        return tuple.protocol();
    }

    /** Where media to the peer goes. */
    public InetSocketAddress remote() {
        return tuple.remote();
    }

    /** Our address of the pair (the socket or connection to send from). */
    public InetSocketAddress local() {
        return tuple.local();
    }

    /** The PRIORITY of the peer's last check on this pair. */
    public long priority() {
        return priority;
    }

    /** True once a check on this pair carried USE-CANDIDATE. */
    public boolean isNominated() {
        return nominated;
    }

    /** When the last valid check arrived, on the caller's clock. */
    public long lastCheckNanos() {
        return lastCheckNanos;
    }

    @Override
    public String toString() {
        return "CandidatePair(" + tuple + (nominated ? ", nominated" : "") + ")";
    }
}
