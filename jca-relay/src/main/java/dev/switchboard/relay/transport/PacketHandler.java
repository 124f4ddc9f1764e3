package dev.switchboard.relay.transport;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * Handles one received packet (a datagram, or one framed message from a stream). Every protocol the relay
 * speaks (STUN now; TURN, ICE, DTLS and RTP later) sits behind this one interface, chosen by the
 * {@link Demultiplexer}.
 *
 * <p>Called on the flow's event-loop thread: implementations must not block, and must not keep a reference to
 * {@code packet} or {@code scratch} after returning (both are reused for the next packet).
 */
@FunctionalInterface
public interface PacketHandler {

    /**
     * @param packet  the packet, between position and limit; the handler may move position/limit
     * @param source  the sender
     * @param flow    the path it arrived on; reply through {@link Flow#send}
     * @param scratch a cleared buffer of at least {@link #SCRATCH_SIZE} bytes owned by the calling thread,
     *                for building a reply without allocating
     */
    Outcome handle(ByteBuffer packet, InetSocketAddress source, Flow flow, ByteBuffer scratch);

    /** Capacity of the scratch buffer every caller provides: the largest UDP payload. */
    int SCRATCH_SIZE = 65_536;
}
