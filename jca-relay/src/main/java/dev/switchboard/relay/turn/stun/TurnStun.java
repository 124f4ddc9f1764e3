package dev.switchboard.relay.turn.stun;

import dev.switchboard.relay.stun.AttributeType;
import dev.switchboard.relay.stun.StunRegistry;

/** What TURN adds to STUN: its attribute types (with their checks) and methods, registered with a registry. */
public final class TurnStun {

    public static final AttributeType XOR_PEER_ADDRESS =
            AttributeType.address(TurnAttribute.XOR_PEER_ADDRESS, "XOR-PEER-ADDRESS");
    public static final AttributeType XOR_RELAYED_ADDRESS =
            AttributeType.address(TurnAttribute.XOR_RELAYED_ADDRESS, "XOR-RELAYED-ADDRESS");
    public static final AttributeType DATA = AttributeType.opaque(TurnAttribute.DATA, "DATA");
    public static final AttributeType DONT_FRAGMENT =
            AttributeType.fixedLength(TurnAttribute.DONT_FRAGMENT, "DONT-FRAGMENT", 0);
    /** RFC 8656 §18.13: type, code and 6 reserved bytes; the relay only checks that it is 8 bytes. */
    public static final AttributeType ICMP = AttributeType.fixedLength(TurnAttribute.ICMP, "ICMP", 8);

    /** RFC 8489's registry with TURN's and TURN-TCP's attributes and methods. */
    public static final StunRegistry REGISTRY = register(StunRegistry.RFC_8489);

    private TurnStun() {
    }

    /** {@code base} with TURN's and TURN-TCP's attribute types and methods added. */
    public static StunRegistry register(StunRegistry base) {
        return base.with(ChannelNumber.ATTRIBUTE, Lifetime.ATTRIBUTE, XOR_PEER_ADDRESS, DATA, XOR_RELAYED_ADDRESS,
                        AddressFamily.REQUESTED, EvenPort.ATTRIBUTE, RequestedTransport.ATTRIBUTE, DONT_FRAGMENT,
                        ReservationToken.ATTRIBUTE, AddressFamily.ADDITIONAL, AddressErrorCode.ATTRIBUTE, ICMP,
                        ConnectionId.ATTRIBUTE)
                .withMethod(TurnMethod.ALLOCATE, "Allocate")
                .withMethod(TurnMethod.REFRESH, "Refresh")
                .withMethod(TurnMethod.SEND, "Send")
                .withMethod(TurnMethod.DATA, "Data")
                .withMethod(TurnMethod.CREATE_PERMISSION, "CreatePermission")
                .withMethod(TurnMethod.CHANNEL_BIND, "ChannelBind")
                .withMethod(TurnMethod.CONNECT, "Connect")
                .withMethod(TurnMethod.CONNECTION_BIND, "ConnectionBind")
                .withMethod(TurnMethod.CONNECTION_ATTEMPT, "ConnectionAttempt");
    }
}
