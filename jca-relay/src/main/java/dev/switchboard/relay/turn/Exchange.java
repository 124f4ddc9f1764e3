package dev.switchboard.relay.turn;

import dev.switchboard.relay.binding.BindingReplies;
import dev.switchboard.relay.stun.ErrorCode;
import dev.switchboard.relay.stun.StunAddress;
import dev.switchboard.relay.stun.StunAttribute;
import dev.switchboard.relay.stun.StunClass;
import dev.switchboard.relay.stun.StunEncoder;
import dev.switchboard.relay.stun.StunException;
import dev.switchboard.relay.stun.StunMessage;
import dev.switchboard.relay.stun.StunMethod;
import dev.switchboard.relay.transport.Flow;
import dev.switchboard.relay.turn.stun.TurnErrorCode;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The request being handled and how to answer it: the decoded message, where it came from, the credentials it
 * passed with, and the reusable codec state. Responses follow one pattern: SOFTWARE, then MESSAGE-INTEGRITY(-SHA256)
 * under the user's key once the request was authenticated, then FINGERPRINT if the request had one (Binding
 * responses always carry it, as {@link dev.switchboard.relay.binding.StunBindingHandler}'s do).
 *
 * <p>Replies to requests that are not authenticated (Binding, challenges, errors found before MESSAGE-INTEGRITY
 * checked out) are the ones a spoofed source can have sent anywhere, so they are guarded: each first takes a token
 * from the source's bucket ({@link TurnConfig#unauthenticatedRate()}), and over UDP it must fit within
 * {@link TurnConfig#unauthenticatedReplyFactor()} times the request, shrunk if need be. Otherwise the request goes
 * unanswered. One instance per loop, reused for every request: nothing here outlives a packet.
 */
final class Exchange implements BindingReplies {

    // The replies that can be built again, smaller: what {@link #encode} knows how to make.
    private static final int ERROR = 0;
    private static final int UNKNOWN_ATTRIBUTES = 1;
    private static final int BINDING_SUCCESS = 2;

    final StunMessage request = new StunMessage();
    final StunEncoder encoder = new StunEncoder();
    /**
     * The client's address as STUN bytes (for the nonce and XOR-MAPPED-ADDRESS), filled in when first asked for: a
     * Send indication needs none, and filling it for a sender other than the last one copies the address's bytes.
     */
    private final StunAddress clientAddress = new StunAddress();
    private boolean clientAddressSet;
    /** For decoding XOR-PEER-ADDRESS. */
    final StunAddress peer = new StunAddress();
    /** For finding a permission by {@link #peer}'s IP. */
    final PeerKey probe = new PeerKey();
    final int[] unknown = new int[32];

    private final byte[] software;
    private final LongTermAuthenticator auth;
    private final TurnStats stats;
    /** Null when unauthenticated requests are not rate-limited; shared with the other loops' servers. */
    private final SharedRateLimiter limiter;
    private final int replyFactor;
    private final ExternalAddresses external;
    /** ERROR-CODE's value without a reason phrase: reserved bits, class, number. */
    private final byte[] bareErrorCode = new byte[4];

    ByteBuffer packet;
    InetSocketAddress source;
    Flow flow;
    ByteBuffer scratch;
    long now;
    /** The request's size in bytes, for the anti-amplification limit. */
    int requestSize;
    /** The user's key and name once authenticated; null before. */
    byte[] key;
    String username;
    /** True once a reply was withheld (rate limit or size): the request counts as dropped. */
    boolean withheld;

    private int scratchStart;
    private int scratchLimit;
    private byte[] nonce;

    Exchange(TurnConfig config, LongTermAuthenticator auth, TurnStats stats, SharedRateLimiter limiter) {
        this.software = config.software().getBytes(StandardCharsets.UTF_8);
        this.auth = auth;
        this.stats = stats;
        this.limiter = limiter;
        this.replyFactor = config.unauthenticatedReplyFactor();
        this.external = config.externalAddresses();
    }

    void start(ByteBuffer packet, InetSocketAddress source, Flow flow, ByteBuffer scratch) {
        this.packet = packet;
        this.source = source;
        this.flow = flow;
        this.scratch = scratch;
        this.scratchStart = scratch.position();
        this.scratchLimit = scratch.limit();
        this.now = System.nanoTime();
        this.requestSize = packet.remaining();
        this.key = null;
        this.username = null;
        this.withheld = false;
        this.clientAddressSet = false;
    }

    /** The client's address as STUN bytes. */
    StunAddress clientAddress() {
        if (!clientAddressSet) {
            clientAddress.set(source);
            clientAddressSet = true;
        }
        return clientAddress;
    }

    /**
     * Authenticates the request (RFC 8489 §9.2.4): {@link LongTermAuthenticator#OK}, with {@link #key} and
     * {@link #username} set, or the error code to answer with (nothing is sent yet).
     */
    int authenticate() throws StunException {
        int result = auth.authenticate(request, clientAddress(), now);
        if (result == LongTermAuthenticator.OK) {
            key = auth.key();
            username = auth.username();
            if (limiter != null) {
                limiter.refund(source.getAddress(), now); // the source receives our replies: its challenge was fair
            }
        }
        return result;
    }

    /** After a failed {@link #authenticate}: the USERNAME when our credential store no longer knows it, else null. */
    String unknownUser() {
        return auth.unknownUser();
    }

    /** Starts a success response; add attributes, then {@link #send()}. Authenticated requests only. */
    StunEncoder success() {
        return encoder.beginResponse(scratch, request, StunClass.SUCCESS_RESPONSE);
    }

    /** Sends an error response with the recommended reason (with REALM and a fresh NONCE for 401 and 438). */
    @Override
    public void error(int code) {
        reply(ERROR, ErrorCode.isValid(code) ? code : ErrorCode.BAD_REQUEST);
    }

    /**
     * 300 Try Alternate with alternate {@code i}'s ALTERNATE-SERVER (RFC 8489 §10). Authenticated requests only: the
     * answer carries MESSAGE-INTEGRITY under the user's key, as every answer after authentication does.
     */
    void tryAlternate(AlternateServers alternates, int i) {
        if (key == null) {
            throw new IllegalStateException("300 Try Alternate answers authenticated requests only");
        }
        nonce = null;
        count(ERROR);
        scratch.limit(scratchLimit).position(scratchStart);
        encoder.beginResponse(scratch, request, StunClass.ERROR_RESPONSE);
        TurnErrorCode.add(encoder, ErrorCode.TRY_ALTERNATE);
        alternates.addTo(encoder, i);
        flow.send(finish(false), source);
    }

    /** 420 listing {@code unknown[0, count)} (RFC 8489 §6.3.1). */
    void unknownAttributes(int count) {
        reply(UNKNOWN_ATTRIBUTES, count);
    }

    /** 420 for a Binding request; {@code types} is this exchange's {@link #unknown}. */
    @Override
    public void unknownAttributes(int[] types, int count) {
        if (types != unknown) {
            System.arraycopy(types, 0, unknown, 0, count);
        }
        reply(UNKNOWN_ATTRIBUTES, count);
    }

    /** A Binding success: the client's reflexive address in XOR-MAPPED-ADDRESS (RFC 8489 §3, §14.2). */
    @Override
    public void mappedAddress() {
        reply(BINDING_SUCCESS, 0);
    }

    /** Ends the success response begun with {@link #success()} and sends it to the (authenticated) client. */
    void send() {
        // A false return (buffer full, flow closed) needs nothing from us: the client retransmits.
        flow.send(finish(), source);
    }

    /** Ends the response begun on {@link #encoder} without sending it: its bytes lie between position and limit. */
    ByteBuffer finish() {
        return finish(false);
    }

    /**
     * Builds and sends one of the replies {@link #encode} knows. Unauthenticated: a token first (so a throttled
     * source costs no nonce MAC either), then over UDP the size check, retried once shrunk.
     */
    private void reply(int kind, int arg) {
        nonce = null;
        if (key != null) {
            count(kind);
            flow.send(encode(kind, arg, false), source);
            return;
        }
        if (!admit()) {
            stats.rateLimited.increment();
            withheld = true;
            return;
        }
        ByteBuffer out = encode(kind, arg, false);
        long limit = flow.protocol().isStream() || replyFactor == 0 ? Long.MAX_VALUE : (long) replyFactor * requestSize;
        if (out.remaining() > limit) {
            out = encode(kind, arg, true);
            if (out.remaining() > limit) {
                stats.amplificationDropped.increment();
                withheld = true;
                return;
            }
            stats.repliesTrimmed.increment();
        }
        count(kind);
        flow.send(out, source);
    }

    private void count(int kind) {
        if (kind != BINDING_SUCCESS) {
            stats.errorResponses.increment();
        }
    }

    private boolean admit() {
        if (limiter == null) {
            return true;
        }
        return limiter.tryAcquire(source.getAddress(), now);
    }

    /** Writes a reply at the start of the scratch buffer; {@code trimmed} leaves out all that can be left out. */
    private ByteBuffer encode(int kind, int arg, boolean trimmed) {
        scratch.limit(scratchLimit).position(scratchStart);
        switch (kind) {
            case ERROR -> {
                encoder.beginResponse(scratch, request, StunClass.ERROR_RESPONSE);
                errorCode(arg, trimmed);
                if (arg == ErrorCode.UNAUTHENTICATED || arg == ErrorCode.STALE_NONCE) {
                    if (nonce == null) {
                        nonce = auth.freshNonce(clientAddress(), now); // once, should the reply be built twice
                    }
                    encoder.add(StunAttribute.REALM, auth.realmUtf8()).add(StunAttribute.NONCE, nonce);
                }
            }
            case UNKNOWN_ATTRIBUTES -> {
                encoder.beginResponse(scratch, request, StunClass.ERROR_RESPONSE);
                errorCode(ErrorCode.UNKNOWN_ATTRIBUTE, trimmed);
                encoder.addUnknownAttributes(unknown, arg);
            }
            case BINDING_SUCCESS -> {
                encoder.beginResponse(scratch, request, StunClass.SUCCESS_RESPONSE);
                InetSocketAddress mapped = external.mappedOrNull(clientAddress()); // a client on the relay's host
                if (mapped != null) {
                    encoder.addXorAddress(StunAttribute.XOR_MAPPED_ADDRESS, mapped);
                } else {
                    encoder.addXorAddress(StunAttribute.XOR_MAPPED_ADDRESS, clientAddress());
                }
            }
            default -> throw new IllegalStateException("unknown reply kind " + kind);
        }
        return finish(trimmed);
    }

    private void errorCode(int code, boolean trimmed) {
        if (!trimmed) {
            TurnErrorCode.add(encoder, code);
            return;
        }
        // §14.8: the reason phrase is for humans and may be empty; written by hand as the encoder only offers
        // reason-bearing forms (one of which allocates).
        bareErrorCode[2] = (byte) (code / 100);
        bareErrorCode[3] = (byte) (code % 100);
        encoder.add(StunAttribute.ERROR_CODE, bareErrorCode);
    }

    private ByteBuffer finish(boolean trimmed) {
        if (!trimmed) {
            encoder.add(StunAttribute.SOFTWARE, software);
        }
        if (key != null) {
            if (request.hasMessageIntegritySha256()) {
                encoder.addMessageIntegritySha256(key);
            } else {
                encoder.addMessageIntegrity(key);
            }
        }
        if (request.hasFingerprint() || (!trimmed && request.method() == StunMethod.BINDING)) {
            encoder.addFingerprint();
        }
        return encoder.finish();
    }
}
