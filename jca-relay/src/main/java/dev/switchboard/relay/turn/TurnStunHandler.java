package dev.switchboard.relay.turn;

import dev.switchboard.relay.binding.StunBindingHandler;
import dev.switchboard.relay.stun.AttributeSet;
import dev.switchboard.relay.stun.StunException;
import dev.switchboard.relay.stun.StunMessage;
import dev.switchboard.relay.stun.StunMethod;
import dev.switchboard.relay.stun.StunRegistry;
import dev.switchboard.relay.transport.Flow;
import dev.switchboard.relay.transport.Outcome;
import dev.switchboard.relay.transport.PacketHandler;
import dev.switchboard.relay.turn.stun.TurnAttribute;
import dev.switchboard.relay.turn.stun.TurnMethod;
import dev.switchboard.relay.turn.stun.TurnStun;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * Every STUN-format message reaching a TURN server: decodes it once, runs the generic checks of RFC 8489 §6.3, and
 * hands it to its method.
 * <ul>
 * <li>Binding requests and indications: {@link StunBindingHandler}'s checks and answers (no credentials), sent
 * through {@link Exchange} so that they obey the limits on unauthenticated replies.</li>
 * <li>Allocate, Refresh, CreatePermission, ChannelBind, Connect and ConnectionBind requests: attribute layout
 * (400), long-term credentials
 * (401/400/438), then unknown comprehension-required attributes (420, DONT-FRAGMENT among them), then the method.
 * Checking credentials before 420 tells an unauthenticated client nothing about what the server understands. A 401
 * for a user the credential store no longer knows also ends that user's allocation on this 5-tuple
 * ({@link AllocationRequests#credentialRevoked}).</li>
 * <li>Send indications: unauthenticated, as indications cannot be (RFC 8656 §10.2); anything wrong drops them.</li>
 * <li>Other methods and classes (responses, Data indications from a client) are dropped silently (§6.3).</li>
 * </ul>
 * A request whose reply was withheld (rate limit, anti-amplification; see {@link Exchange}) counts as
 * {@link Outcome#DROPPED}. Loop thread only: the decode and encode state is one reused {@link Exchange}.
 */
final class TurnStunHandler implements PacketHandler {

    /** What TURN requests and indications may carry that must be understood; DONT-FRAGMENT is left out on purpose. */
    static final AttributeSet TURN_ATTRIBUTES = StunBindingHandler.BINDING_ATTRIBUTES.with(
            TurnAttribute.CHANNEL_NUMBER, TurnAttribute.LIFETIME, TurnAttribute.XOR_PEER_ADDRESS,
            TurnAttribute.DATA, TurnAttribute.REQUESTED_ADDRESS_FAMILY, TurnAttribute.EVEN_PORT,
            TurnAttribute.REQUESTED_TRANSPORT, TurnAttribute.RESERVATION_TOKEN, TurnAttribute.CONNECTION_ID);

    /** The types whose values are checked (400 when malformed): the Binding handler's and TURN's. */
    static final StunRegistry TURN_TYPES = TurnStun.register(StunBindingHandler.BINDING_TYPES);

    private final Exchange ex;
    private final AllocateMethod allocate;
    private final AllocationRequests requests;
    private final TcpRelayRequests tcpRequests;
    private final ClientToPeer clientToPeer;
    private final TurnServer server;

    TurnStunHandler(Exchange ex, AllocateMethod allocate, AllocationRequests requests, TcpRelayRequests tcpRequests,
                    ClientToPeer clientToPeer, TurnServer server) {
        this.ex = ex;
        this.allocate = allocate;
        this.requests = requests;
        this.tcpRequests = tcpRequests;
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
                ex.error(e.errorCode());
            }
            return Outcome.MALFORMED;
        }
        if (!isForUs(m)) {
            return Outcome.DROPPED;
        }
        if (m.hasFingerprint() && !m.checkFingerprint()) {
            return Outcome.MALFORMED; // §6.3: it may not even be STUN; never answered
        }
        Outcome outcome;
        try {
            outcome = switch (m.method()) {
                case StunMethod.BINDING -> StunBindingHandler.answer(m, ex.unknown, ex);
                case TurnMethod.SEND -> sendIndication(m);
                default -> request(m);
            };
        } catch (StunException e) {
            // A known attribute with a bad value, found by a typed getter.
            if (m.isRequest()) {
                ex.error(e.errorCode());
            }
            return Outcome.MALFORMED;
        }
        return ex.withheld ? Outcome.DROPPED : outcome;
    }

    private static boolean isForUs(StunMessage m) {
        return switch (m.method()) {
            case StunMethod.BINDING -> !m.isResponse();
            case TurnMethod.ALLOCATE, TurnMethod.REFRESH, TurnMethod.CREATE_PERMISSION, TurnMethod.CHANNEL_BIND,
                    TurnMethod.CONNECT, TurnMethod.CONNECTION_BIND -> m.isRequest();
            case TurnMethod.SEND -> m.isIndication();
            default -> false;
        };
    }

    private Outcome sendIndication(StunMessage m) throws StunException {
        if (m.unknownComprehensionRequired(TURN_ATTRIBUTES, ex.unknown) > 0) {
            return Outcome.DROPPED; // §6.3.2: an indication with unknown attributes is discarded
        }
        m.validateKnownAttributes(TURN_TYPES);
        return clientToPeer.send(ex);
    }

    private Outcome request(StunMessage m) throws StunException {
        m.validateKnownAttributes(TURN_TYPES);
        int refusal = ex.authenticate();
        if (refusal != LongTermAuthenticator.OK) {
            String gone = ex.unknownUser();
            if (gone != null) {
                requests.credentialRevoked(ex, gone); // before the 401, so a client that sees it finds it gone
            }
            ex.error(refusal);
            return Outcome.HANDLED;
        }
        int unknown = m.unknownComprehensionRequired(TURN_ATTRIBUTES, ex.unknown);
        if (unknown > 0) {
            ex.unknownAttributes(unknown);
            return Outcome.HANDLED;
        }
        switch (m.method()) {
            case TurnMethod.ALLOCATE -> allocate.handle(ex);
            case TurnMethod.REFRESH -> requests.refresh(ex);
            case TurnMethod.CREATE_PERMISSION -> requests.createPermission(ex);
            case TurnMethod.CHANNEL_BIND -> requests.channelBind(ex);
            case TurnMethod.CONNECT -> tcpRequests.connect(ex);
            case TurnMethod.CONNECTION_BIND -> tcpRequests.connectionBind(ex);
            default -> throw new IllegalStateException("not a TURN request: " + m);
        }
        return Outcome.HANDLED;
    }
}
