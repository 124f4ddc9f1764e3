package dev.switchboard.relay.turn;

import dev.switchboard.relay.stun.StunClass;
import dev.switchboard.relay.stun.StunEncoder;
import dev.switchboard.relay.transport.Outcome;
import dev.switchboard.relay.turn.stun.TurnAttribute;
import dev.switchboard.relay.turn.stun.TurnMethod;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * Datagrams from peers to clients (RFC 8656 §10.3, §12.6): dropped without a permission for the peer's IP; sent as
 * ChannelData when a channel is bound to the peer's exact transport address (padded to a multiple of 4 on stream
 * flows, §12.5), else as a Data indication with XOR-PEER-ADDRESS and DATA. Built in the loop's scratch buffer; the
 * peer's address comes ready-made from its {@link Permission}, so nothing is allocated. Loop thread only.
 */
final class PeerToClient {

    /** Room for the Data indication around the payload: header, XOR-PEER-ADDRESS (IPv6), DATA header, padding. */
    private static final int DATA_OVERHEAD = 20 + 24 + 4 + 3;
    private static final int MAX_CHANNEL_PAYLOAD = 0xFFFF;

    private final TurnStats stats;
    private final StunEncoder encoder = new StunEncoder();
    private final byte[] transactionId = new byte[12];
    private long seed;

    PeerToClient(TurnStats stats, long seed) {
        this.stats = stats;
        this.seed = seed | 1;
    }

    Outcome relay(Allocation a, ByteBuffer packet, InetSocketAddress source, ByteBuffer scratch) {
        Permission permission = a.permission(source.getAddress());
        if (permission == null) {
            stats.peerDroppedNoPermission.increment();
            return Outcome.DROPPED;
        }
        int length = packet.remaining();
        if (!a.admitFromPeers(length)) {
            stats.bandwidthDropped.increment();
            return Outcome.DROPPED;
        }
        Channel channel = a.channel(source);
        scratch.clear();
        if (channel != null) {
            if (length > MAX_CHANNEL_PAYLOAD || 4 + length + 3 > scratch.capacity()) {
                return Outcome.DROPPED;
            }
            scratch.putShort((short) channel.number).putShort((short) length).put(packet);
            if (a.flow.protocol().isStream()) {
                while ((scratch.position() & 3) != 0) {
                    scratch.put((byte) 0);
                }
            }
            scratch.flip();
        } else {
            if (length + DATA_OVERHEAD > scratch.capacity() || length > 0xFFFF - DATA_OVERHEAD) {
                return Outcome.DROPPED; // too big to wrap in a STUN message; only a channel could carry it
            }
            nextTransactionId();
            encoder.begin(scratch, TurnMethod.DATA, StunClass.INDICATION, transactionId, 0)
                    .addXorAddress(TurnAttribute.XOR_PEER_ADDRESS, permission.peerAddress(source.getPort()))
                    .add(TurnAttribute.DATA, packet);
            encoder.finish();
        }
        if (!a.toClient().send(scratch, a.client)) {
            return Outcome.DROPPED;
        }
        a.packetsFromPeers++;
        a.bytesFromPeers += length;
        stats.packetsFromPeers.increment();
        stats.bytesFromPeers.add(length);
        return Outcome.HANDLED;
    }

    /**
     * Indications need unique, not secret, transaction ids (RFC 8489 §6: the client matches nothing to them), so a
     * xorshift sequence does, at no cost per packet.
     */
    private void nextTransactionId() {
        long s = seed;
        for (int i = 0; i < 12; i += 6) {
            s ^= s << 13;
            s ^= s >>> 7;
            s ^= s << 17;
            for (int k = 0; k < 6; k++) {
                transactionId[i + k] = (byte) (s >>> (8 * k));
            }
        }
        seed = s;
    }
}
