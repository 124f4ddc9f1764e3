package dev.switchboard.relay.turn;

import dev.switchboard.relay.server.StunBindingHandler;
import dev.switchboard.relay.stun.AttributeSet;
import dev.switchboard.relay.stun.ErrorCode;
import dev.switchboard.relay.stun.StunAttribute;
import dev.switchboard.relay.stun.StunException;
import dev.switchboard.relay.stun.StunMessage;
import dev.switchboard.relay.stun.StunMethod;
import dev.switchboard.relay.transport.Flow;
import dev.switchboard.relay.transport.Outcome;
import dev.switchboard.relay.transport.PacketHandler;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * Every STUN-format message reaching a TURN server: decodes it once, runs the generic checks of RFC 8489 §6.3, and
 * hands it to its method.
 * <ul>
 * <li>Binding requests and indications go to {@link StunBindingHandler}'s logic (no credentials, as before).</li>
 * <li>Allocate, Refresh, CreatePermission and ChannelBind requests: attribute layout (400), long-term credentials
 * (401/400/438), then unknown comprehension-required attributes (420, DONT-FRAGMENT among them), then the method.
 * Checking credentials before 420 tells an unauthenticated client nothing about what the server understands.</li>
 * <li>Send indications: unauthenticated, as indications cannot be (RFC 8656 §10.2); anything wrong drops them.</li>
 * <li>Other methods and classes (responses, Data indications from a client) are dropped silently (§6.3).</li>
 * </ul>
 * Loop thread only: the decode and encode state is one reused {@link Exchange}.
 */
final class TurnStunHandler implements PacketHandler {

    /** What TURN requests and indications may carry that must be understood; DONT-FRAGMENT is left out on purpose. */
    static final AttributeSet TURN_ATTRIBUTES = StunBindingHandler.BINDING_ATTRIBUTES.with(
            StunAttribute.CHANNEL_NUMBER, StunAttribute.LIFETIME, StunAttribute.XOR_PEER_ADDRESS,
            StunAttribute.DATA, StunAttribute.REQUESTED_ADDRESS_FAMILY, StunAttribute.EVEN_PORT,
            StunAttribute.REQUESTED_TRANSPORT, StunAttribute.RESERVATION_TOKEN);

    private final Exchange ex;
    private final StunBindingHandler binding;
    private final AllocateMethod allocate;
    private final AllocationRequests requests;
    private final ClientToPeer clientToPeer;
    private final TurnServer server;

    TurnStunHandler(Exchange ex, StunBindingHandler binding, AllocateMethod allocate, AllocationRequests requests,
                    ClientToPeer clientToPeer, TurnServer server) {
        this.ex = ex;
        this.binding = binding;
        this.allocate = allocate;
        this.requests = requests;
        this.clientToPeer = clientToPeer;
        this.server = server;
    }

    @Override
    public Outcome handle(ByteBuffer packet, InetSocketAddress source, Flow flow, ByteBuffer scratch) {
        if (server.isClosed()) {
            return Outcome.DROPPED;
        }
        ex.start(packet, source, flow, scratch);
        StunMessage m = ex.request;
        try {
            m.decode(packet);
        } catch (StunException e) {
            if (!m.hasHeader() || !isForUs(m)) {
                return Outcome.DROPPED;
            }
            if (m.isRequest()) {
                ex.error(ErrorCode.isValid(e.errorCode()) ? e.errorCode() : ErrorCode.BAD_REQUEST);
            }
            return Outcome.MALFORMED;
        }
        if (!isForUs(m)) {
            return Outcome.DROPPED;
        }
        if (m.hasFingerprint() && !m.checkFingerprint()) {
            return Outcome.MALFORMED; // §6.3: it may not even be STUN; never answered
        }
        try {
            return switch (m.method()) {
                case StunMethod.BINDING -> binding(m, source, flow, scratch);
                case StunMethod.SEND -> sendIndication(m);
                default -> request(m);
            };
        } catch (StunException e) {
            // A known attribute with a bad value, found by a typed getter.
            if (m.isRequest()) {
                ex.error(ErrorCode.isValid(e.errorCode()) ? e.errorCode() : ErrorCode.BAD_REQUEST);
            }
            return Outcome.MALFORMED;
        }
    }

    private static boolean isForUs(StunMessage m) {
        return switch (m.method()) {
            case StunMethod.BINDING -> !m.isResponse();
            case StunMethod.ALLOCATE, StunMethod.REFRESH, StunMethod.CREATE_PERMISSION, StunMethod.CHANNEL_BIND ->
                    m.isRequest();
            case StunMethod.SEND -> m.isIndication();
            default -> false;
        };
    }

    /** As {@link StunBindingHandler} does it: 420, 400, then the reflexive address. */
    private Outcome binding(StunMessage m, InetSocketAddress source, Flow flow, ByteBuffer scratch)
            throws StunException {
        int unknown = m.unknownComprehensionRequired(StunBindingHandler.BINDING_ATTRIBUTES, ex.unknown);
        if (unknown > 0) {
            if (!m.isRequest()) {
                return Outcome.DROPPED;
            }
            binding.respondUnknownAttributes(m, ex.unknown, unknown, source, flow, scratch, ex.encoder);
            return Outcome.HANDLED;
        }
        try {
            m.validateKnownAttributes();
        } catch (StunException e) {
            if (m.isRequest()) {
                binding.respondError(m, e.errorCode(), source, flow, scratch, ex.encoder);
            }
            return Outcome.MALFORMED;
        }
        return binding.binding(m, source, flow, scratch, ex.encoder);
    }

    private Outcome sendIndication(StunMessage m) throws StunException {
        if (m.unknownComprehensionRequired(TURN_ATTRIBUTES, ex.unknown) > 0) {
            return Outcome.DROPPED; // §6.3.2: an indication with unknown attributes is discarded
        }
        m.validateKnownAttributes();
        return clientToPeer.send(ex);
    }

    private Outcome request(StunMessage m) throws StunException {
        m.validateKnownAttributes();
        if (!ex.authenticate()) {
            return Outcome.HANDLED;
        }
        int unknown = m.unknownComprehensionRequired(TURN_ATTRIBUTES, ex.unknown);
        if (unknown > 0) {
            ex.unknownAttributes(unknown);
            return Outcome.HANDLED;
        }
        switch (m.method()) {
            case StunMethod.ALLOCATE -> allocate.handle(ex);
            case StunMethod.REFRESH -> requests.refresh(ex);
            case StunMethod.CREATE_PERMISSION -> requests.createPermission(ex);
            case StunMethod.CHANNEL_BIND -> requests.channelBind(ex);
            default -> throw new IllegalStateException("not a TURN request: " + m);
        }
        return Outcome.HANDLED;
    }
}
