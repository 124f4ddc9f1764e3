package dev.switchboard.relay.transport;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Test handler: records a copy of every packet, and echoes it back through the flow if asked to. */
final class RecordingHandler implements PacketHandler {

    final List<byte[]> packets = new CopyOnWriteArrayList<>();
    final List<Flow> flows = new CopyOnWriteArrayList<>();
    private final boolean echo;
    private boolean binds;

    RecordingHandler(boolean echo) {
        this.echo = echo;
    }

    /**
     * Binds state to each stream flow on its first message, as a TURN allocation does: the flow then takes frames
     * beyond {@link TcpOptions#UNBOUND_MAX_FRAME} and the long idle timeout.
     */
    RecordingHandler binding() {
        binds = true;
        return this;
    }

    @Override
    public Outcome handle(ByteBuffer packet, InetSocketAddress source, Flow flow, ByteBuffer scratch) {
        packets.add(LoopHarness.toArray(packet));
        if (binds && !flows.contains(flow)) {
            flow.addCloseListener(() -> { });
        }
        flows.add(flow);
        if (echo) {
            // Through the scratch buffer, as a real handler builds its reply.
            scratch.put(packet).flip();
            flow.send(scratch, source);
        }
        return Outcome.HANDLED;
    }
}
