package dev.switchboard.relay.turn;

import dev.switchboard.relay.transport.EventLoop;
import dev.switchboard.relay.transport.LoopTimer;

import java.net.InetSocketAddress;
import java.util.function.Consumer;

/**
 * A channel binding (RFC 8656 §12): number ↔ peer transport address for one allocation, until the timer fires.
 */
final class Channel {

    final int number;
    final InetSocketAddress peer;
    /** The relayed socket of the peer's family, chosen once at bind time. */
    final RelayedSocket relay;
    final LoopTimer timer;

    Channel(int number, InetSocketAddress peer, RelayedSocket relay, EventLoop loop, Consumer<Channel> onExpiry) {
        this.number = number;
        this.peer = peer;
        this.relay = relay;
        this.timer = loop.newTimer(() -> onExpiry.accept(this));
    }

    @Override
    public String toString() {
        return String.format("Channel[0x%04x -> %s]", number, peer);
    }
}
