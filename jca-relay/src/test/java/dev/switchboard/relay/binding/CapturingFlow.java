package dev.switchboard.relay.binding;

import dev.switchboard.relay.transport.Flow;
import dev.switchboard.relay.transport.Protocol;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** A flow that records what the handler sends instead of sending it. */
final class CapturingFlow implements Flow {

    record Sent(byte[] bytes, InetSocketAddress to) {
    }

    final List<Sent> sent = new ArrayList<>();
    private final Protocol protocol;
    private final InetSocketAddress local;
    private final InetSocketAddress remote;

    CapturingFlow(Protocol protocol, InetSocketAddress local, InetSocketAddress remote) {
        this.protocol = protocol;
        this.local = local;
        this.remote = remote;
    }

    static CapturingFlow udp() {
        return new CapturingFlow(Protocol.UDP, new InetSocketAddress("127.0.0.1", 3478), null);
    }

    @Override
    public Protocol protocol() {
        return protocol;
    }

    @Override
    public InetSocketAddress localAddress() {
        return local;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public boolean send(ByteBuffer data, InetSocketAddress to) {
        byte[] b = new byte[data.remaining()];
        data.get(b);
        sent.add(new Sent(b, to));
        return true;
    }

    @Override
    public boolean isOpen() {
        return true;
    }

    @Override
    public void close() {
    }

    Sent only() {
        if (sent.size() != 1) {
            throw new AssertionError("expected exactly one reply, got " + sent.size());
        }
        return sent.get(0);
    }
}
