package dev.switchboard.relay.transport;

import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The TCP (or TLS) acceptors of one listener served by several event loops, one each (an {@code SO_REUSEPORT} group):
 * where a connection accepted on one loop finds the acceptor that takes it on another ({@link
 * TcpConnection#handOffTo}). Members join as they open and leave as they close, from any thread; read once per
 * hand-off, never per packet.
 */
public final class AcceptorGroup {

    private final CopyOnWriteArrayList<TcpAcceptor> members = new CopyOnWriteArrayList<>();

    void join(TcpAcceptor member) {
        members.add(member);
    }

    void leave(TcpAcceptor member) {
        members.remove(member);
    }

    /** The member serving on {@code loop}, or null if none is up there. */
    TcpAcceptor memberOn(EventLoop loop) {
        for (TcpAcceptor member : members) {
            if (member.loop() == loop && member.isUp()) {
                return member;
            }
        }
        return null;
    }

    /** Members now; for tests and status. */
    public int size() {
        return members.size();
    }
}
