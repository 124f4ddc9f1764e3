package dev.switchboard.relay.turn;

import dev.switchboard.relay.stun.StunAttribute;
import dev.switchboard.relay.stun.StunClass;
import dev.switchboard.relay.stun.StunEncoder;
import dev.switchboard.relay.turn.stun.ConnectionId;
import dev.switchboard.relay.turn.stun.TurnAttribute;
import dev.switchboard.relay.turn.stun.TurnErrorCode;
import dev.switchboard.relay.turn.stun.TurnMethod;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.random.RandomGenerator;

/**
 * The RFC 6062 messages the server sends outside a request's handling: the answer to a Connect once the peer has
 * accepted or the attempt failed, and the ConnectionAttempt indication when a peer connects. A Connect's answer is
 * built from what was kept of the request ({@link Pending}), as {@link Exchange} would have built it then: SOFTWARE,
 * MESSAGE-INTEGRITY(-SHA256) under the user's key, FINGERPRINT if the request had one. Messages are built in one
 * reused buffer, valid until the next call. Loop thread only.
 */
final class TcpRelayMessages {

    /** Room for the largest of them: header, XOR-PEER-ADDRESS (IPv6), CONNECTION-ID, ERROR-CODE, SOFTWARE, MI. */
    private static final int BUFFER_SIZE = 1024;

    /** What answering a Connect later needs of it. */
    record Pending(byte[] transactionId, byte[] key, boolean sha256, boolean fingerprint) {

        /** Copies what it needs out of the request being handled, which is reused after it. */
        static Pending of(Exchange ex) {
            return new Pending(ex.request.transactionId(), ex.key.clone(), ex.request.hasMessageIntegritySha256(),
                    ex.request.hasFingerprint());
        }
    }

    private final byte[] software;
    private final StunEncoder encoder = new StunEncoder();
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_SIZE);
    private final byte[] transactionId = new byte[12];
    private final RandomGenerator random;

    TcpRelayMessages(String software, RandomGenerator random) {
        this.software = software.getBytes(StandardCharsets.UTF_8);
        this.random = random;
    }

    /** Connect success response with CONNECTION-ID. */
    ByteBuffer connectSuccess(Pending request, long connectionId) {
        buffer.clear();
        encoder.begin(buffer, TurnMethod.CONNECT, StunClass.SUCCESS_RESPONSE, request.transactionId())
                .add(ConnectionId.ATTRIBUTE, connectionId);
        return finish(request);
    }

    /** Connect error response, e.g. 447 Connection Timeout or Failure. */
    ByteBuffer connectError(Pending request, int code) {
        buffer.clear();
        TurnErrorCode.add(encoder.begin(buffer, TurnMethod.CONNECT, StunClass.ERROR_RESPONSE,
                request.transactionId()), code);
        return finish(request);
    }

    /** ConnectionAttempt indication (RFC 6062 §5.3): the peer's address and the connection's id. */
    ByteBuffer connectionAttempt(InetSocketAddress peer, long connectionId) {
        buffer.clear();
        random.nextBytes(transactionId); // once per peer connection, not per packet
        encoder.begin(buffer, TurnMethod.CONNECTION_ATTEMPT, StunClass.INDICATION, transactionId)
                .addXorAddress(TurnAttribute.XOR_PEER_ADDRESS, peer)
                .add(ConnectionId.ATTRIBUTE, connectionId)
                .add(StunAttribute.SOFTWARE, software)
                .addFingerprint();
        return encoder.finish();
    }

    private ByteBuffer finish(Pending request) {
        encoder.add(StunAttribute.SOFTWARE, software);
        if (request.sha256()) {
            encoder.addMessageIntegritySha256(request.key());
        } else {
            encoder.addMessageIntegrity(request.key());
        }
        if (request.fingerprint()) {
            encoder.addFingerprint();
        }
        return encoder.finish();
    }
}
