package dev.switchboard.relay.binding;

import dev.switchboard.relay.ice.IceAttribute;
import dev.switchboard.relay.ice.IceStun;
import dev.switchboard.relay.stun.AttributeSet;
import dev.switchboard.relay.stun.ErrorCode;
import dev.switchboard.relay.stun.StunAttribute;
import dev.switchboard.relay.stun.StunClass;
import dev.switchboard.relay.stun.StunEncoder;
import dev.switchboard.relay.stun.StunException;
import dev.switchboard.relay.stun.StunMessage;
import dev.switchboard.relay.stun.StunMethod;
import dev.switchboard.relay.stun.StunRegistry;
import dev.switchboard.relay.transport.Flow;
import dev.switchboard.relay.transport.Outcome;
import dev.switchboard.relay.transport.PacketHandler;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A basic STUN server (RFC 8489 §12): answers Binding requests with the sender's reflexive address, checking
 * messages in the order of §6.3:
 * <ol>
 * <li>not a STUN header → {@link Outcome#DROPPED}, silently;</li>
 * <li>a method other than Binding, or a response (this server has no transactions of its own) →
 * {@link Outcome#DROPPED}, silently: §6.3 discards messages whose method is not supported or whose class is not
 * allowed, it does not answer them;</li>
 * <li>a broken attribute layout (an attribute overrunning the message, FINGERPRINT not last, bad integrity
 * lengths) → 400 to a request, then {@link Outcome#MALFORMED};</li>
 * <li>a FINGERPRINT that does not match → {@link Outcome#MALFORMED}, silently (§6.3: a bad FINGERPRINT means the
 * message is discarded; it may not even be STUN);</li>
 * <li>then {@link #answer}, shared with the TURN handler: unknown comprehension-required attributes → 420 with
 * UNKNOWN-ATTRIBUTES to a request (§6.3.1), an indication is dropped (§6.3.2); a known attribute with a bad value
 * (e.g. an address with an unknown family) → 400 to a request, then {@link Outcome#MALFORMED};</li>
 * <li>otherwise a success response with XOR-MAPPED-ADDRESS, or nothing for an indication.</li>
 * </ol>
 * Every response carries SOFTWARE and FINGERPRINT and is built in the caller's scratch buffer.
 *
 * <p>Threading: the reusable decode/encode state (about 2 KiB, growing only for larger messages) is kept per
 * handler rather than in a ThreadLocal, which would pin the resource adapter's class loader to pooled container
 * threads after an undeploy. One event loop uses it without allocating; should two loops ever share an instance,
 * the second concurrent caller gets fresh state, so sharing stays correct and only costs allocation.
 */
public final class StunBindingHandler implements PacketHandler {

    /**
     * The comprehension-required attributes understood in a Binding request: RFC 8489's own and ICE's PRIORITY
     * and USE-CANDIDATE (RFC 8445). They are accepted and, as a basic server uses no credentials (§12), ignored.
     * CHANGE-REQUEST and RESPONSE-PORT are left out on purpose: a 420 for them is how an RFC 5780 client learns
     * that this server does no NAT behaviour discovery. A TURN handler extends this set with {@link
     * AttributeSet#with}.
     */
    public static final AttributeSet BINDING_ATTRIBUTES = AttributeSet.of(
            StunAttribute.MAPPED_ADDRESS, StunAttribute.USERNAME, StunAttribute.MESSAGE_INTEGRITY,
            StunAttribute.ERROR_CODE, StunAttribute.UNKNOWN_ATTRIBUTES, StunAttribute.REALM, StunAttribute.NONCE,
            StunAttribute.MESSAGE_INTEGRITY_SHA256, StunAttribute.PASSWORD_ALGORITHM, StunAttribute.USERHASH,
            StunAttribute.XOR_MAPPED_ADDRESS, IceAttribute.PRIORITY, IceAttribute.USE_CANDIDATE);

    /**
     * The attribute types whose values a Binding request has checked (400 when malformed): RFC 8489's and ICE's.
     * A TURN handler registers its own on top with {@code TurnStun.register}.
     */
    public static final StunRegistry BINDING_TYPES = IceStun.REGISTRY;

    /** UNKNOWN-ATTRIBUTES lists at most this many types, so a 420 stays small whatever the request holds. */
    static final int MAX_UNKNOWN = 32;

    private final byte[] software;
    private final AtomicReference<State> idle = new AtomicReference<>(new State());

    /** @param software the SOFTWARE value (fewer than 128 characters, RFC 8489 §14.14) */
    public StunBindingHandler(String software) {
        this.software = software.getBytes(StandardCharsets.UTF_8);
        StunEncoder.checkText(StunAttribute.SOFTWARE, this.software);
    }

    /** Reusable per-packet state; answers go straight out, as a basic server has no reply guard. */
    private final class State implements BindingReplies {
        final StunMessage message = new StunMessage();
        final StunEncoder encoder = new StunEncoder();
        final int[] unknown = new int[MAX_UNKNOWN];
        // The packet being answered: set per packet, so no reply needs an object of its own.
        InetSocketAddress source;
        Flow flow;
        ByteBuffer scratch;

        @Override
        public void unknownAttributes(int[] types, int count) {
            encoder.beginResponse(scratch, message, StunClass.ERROR_RESPONSE)
                    .addErrorCode(ErrorCode.UNKNOWN_ATTRIBUTE)
                    .addUnknownAttributes(types, count);
            send(encoder, source, flow);
        }

        @Override
        public void error(int code) {
            encoder.beginResponse(scratch, message, StunClass.ERROR_RESPONSE)
                    .addErrorCode(ErrorCode.isValid(code) ? code : ErrorCode.BAD_REQUEST);
            send(encoder, source, flow);
        }

        @Override
        public void mappedAddress() {
            encoder.beginResponse(scratch, message, StunClass.SUCCESS_RESPONSE)
                    .addXorAddress(StunAttribute.XOR_MAPPED_ADDRESS, source);
            send(encoder, source, flow);
        }
    }

    @Override
    public Outcome handle(ByteBuffer packet, InetSocketAddress source, Flow flow, ByteBuffer scratch) {
        State state = idle.getAndSet(null);
        if (state == null) {
            state = new State(); // another thread holds the pooled state: see the class comment
        }
        try {
            return handle(state, packet, source, flow, scratch);
        } finally {
            idle.set(state);
        }
    }

    private Outcome handle(State state, ByteBuffer packet, InetSocketAddress source, Flow flow, ByteBuffer scratch) {
        StunMessage message = state.message;
        state.source = source;
        state.flow = flow;
        state.scratch = scratch;
        try {
            message.decode(packet);
        } catch (StunException e) {
            if (!message.hasHeader() || !isForUs(message)) {
                return Outcome.DROPPED;
            }
            if (message.isRequest()) {
                state.error(e.errorCode());
            }
            return Outcome.MALFORMED;
        }
        if (!isForUs(message)) {
            return Outcome.DROPPED;
        }
        if (message.hasFingerprint() && !message.checkFingerprint()) {
            return Outcome.MALFORMED;
        }
        return answer(message, state.unknown, state);
    }

    /**
     * The Binding method for a request or indication that decoded and passed its FINGERPRINT (a TURN handler
     * dispatches its Binding messages here too): unknown comprehension-required attributes get 420 with
     * UNKNOWN-ATTRIBUTES for a request and drop an indication (§6.3.1, §6.3.2); a known attribute with a bad value
     * gets 400; otherwise a request gets its reflexive address (§3, §14.2) and an indication, a NAT keep-alive,
     * nothing.
     *
     * @param unknown room for the unknown attribute types (at least {@link #MAX_UNKNOWN})
     * @param replies how the answer is sent
     */
    public static Outcome answer(StunMessage message, int[] unknown, BindingReplies replies) {
        int count = message.unknownComprehensionRequired(BINDING_ATTRIBUTES, unknown);
        if (count > 0) {
            if (!message.isRequest()) {
                return Outcome.DROPPED;
            }
            replies.unknownAttributes(unknown, count);
            return Outcome.HANDLED;
        }
        try {
            message.validateKnownAttributes(BINDING_TYPES);
        } catch (StunException e) {
            if (message.isRequest()) {
                replies.error(e.errorCode());
            }
            return Outcome.MALFORMED;
        }
        if (message.isRequest()) {
            replies.mappedAddress();
        }
        return Outcome.HANDLED;
    }

    /** Binding requests and indications: the only method and classes a basic server accepts (§6.3). */
    private static boolean isForUs(StunMessage message) {
        return message.method() == StunMethod.BINDING && !message.isResponse();
    }

    private void send(StunEncoder encoder, InetSocketAddress source, Flow flow) {
        ByteBuffer response = encoder.add(StunAttribute.SOFTWARE, software).addFingerprint().finish();
        // A false return (socket buffer full, flow closed) needs nothing from us: the client retransmits.
        flow.send(response, source);
    }
}
