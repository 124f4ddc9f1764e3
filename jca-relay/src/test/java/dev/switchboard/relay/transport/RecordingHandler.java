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

    RecordingHandler(boolean echo) {
        this.echo = echo;
    }

    @Override
    public Outcome handle(ByteBuffer packet, InetSocketAddress source, Flow flow, ByteBuffer scratch) {
        packets.add(LoopHarness.toArray(packet));
        flows.add(flow);
        if (echo) {
            // Through the scratch buffer, as a real handler builds its reply.
            scratch.put(packet).flip();
            flow.send(scratch, source);
        }
        return Outcome.HANDLED;
    }
}
