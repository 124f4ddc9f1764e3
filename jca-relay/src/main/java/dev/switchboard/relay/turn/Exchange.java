package dev.switchboard.relay.turn;

import dev.switchboard.relay.stun.ErrorCode;
import dev.switchboard.relay.stun.StunAddress;
import dev.switchboard.relay.stun.StunAttribute;
import dev.switchboard.relay.stun.StunClass;
import dev.switchboard.relay.stun.StunEncoder;
import dev.switchboard.relay.stun.StunException;
import dev.switchboard.relay.stun.StunMessage;
import dev.switchboard.relay.transport.Flow;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The request being handled and how to answer it: the decoded message, where it came from, the credentials it
 * passed with, and the reusable codec state. Responses follow one pattern: SOFTWARE, then MESSAGE-INTEGRITY(-SHA256)
 * under the user's key once the request was authenticated, then FINGERPRINT if the request had one. One instance per
 * loop, reused for every request: nothing here outlives a packet.
 */
final class Exchange {

    final StunMessage request = new StunMessage();
    final StunEncoder encoder = new StunEncoder();
    /** The client's address as STUN bytes (for the nonce and XOR-MAPPED-ADDRESS). */
    final StunAddress clientAddress = new StunAddress();
    /** For decoding XOR-PEER-ADDRESS. */
    final StunAddress peer = new StunAddress();
    /** For finding a permission by {@link #peer}'s IP. */
    final PeerKey probe = new PeerKey();
    final int[] unknown = new int[32];

    private final byte[] software;
    private final LongTermAuthenticator auth;
    private final TurnStats stats;

    ByteBuffer packet;
    InetSocketAddress source;
    Flow flow;
    ByteBuffer scratch;
    long now;
    /** The user's key and name once authenticated; null before. */
    byte[] key;
    String username;

    Exchange(String software, LongTermAuthenticator auth, TurnStats stats) {
        this.software = software.getBytes(StandardCharsets.UTF_8);
        this.auth = auth;
        this.stats = stats;
    }

    void start(ByteBuffer packet, InetSocketAddress source, Flow flow, ByteBuffer scratch) {
        this.packet = packet;
        this.source = source;
        this.flow = flow;
        this.scratch = scratch;
        this.now = System.nanoTime();
        this.key = null;
        this.username = null;
        clientAddress.set(source);
    }

    /** Authenticates the request (RFC 8489 §9.2.4); on failure the error is sent and false returned. */
    boolean authenticate() throws StunException {
        int result = auth.authenticate(request, clientAddress, now);
        if (result != LongTermAuthenticator.OK) {
            error(result);
            return false;
        }
        key = auth.key();
        username = auth.username();
        return true;
    }

    /** Starts a success response; add attributes, then {@link #send()}. */
    StunEncoder success() {
        return encoder.beginResponse(scratch, request, StunClass.SUCCESS_RESPONSE);
    }

    /** Sends an error response with the recommended reason (with REALM and a fresh NONCE for 401 and 438). */
    void error(int code) {
        encoder.beginResponse(scratch, request, StunClass.ERROR_RESPONSE).addErrorCode(code);
        if (code == ErrorCode.UNAUTHENTICATED || code == ErrorCode.STALE_NONCE) {
            encoder.add(StunAttribute.REALM, auth.realmUtf8())
                    .add(StunAttribute.NONCE, auth.freshNonce(clientAddress, now));
        }
        stats.errorResponses.increment();
        send();
    }

    /** 420 listing {@code unknown[0, count)} (RFC 8489 §6.3.1). */
    void unknownAttributes(int count) {
        encoder.beginResponse(scratch, request, StunClass.ERROR_RESPONSE)
                .addErrorCode(ErrorCode.UNKNOWN_ATTRIBUTE).addUnknownAttributes(unknown, count);
        stats.errorResponses.increment();
        send();
    }

    /** Ends the response begun on {@link #encoder} and sends it to the client. */
    void send() {
        // A false return (buffer full, flow closed) needs nothing from us: the client retransmits.
        flow.send(finish(), source);
    }

    /** Ends the response begun on {@link #encoder} without sending it: its bytes lie between position and limit. */
    ByteBuffer finish() {
        encoder.add(StunAttribute.SOFTWARE, software);
        if (key != null) {
            if (request.hasMessageIntegritySha256()) {
                encoder.addMessageIntegritySha256(key);
            } else {
                encoder.addMessageIntegrity(key);
            }
        }
        if (request.hasFingerprint()) {
            encoder.addFingerprint();
        }
        return encoder.finish();
    }
}
