package dev.switchboard.relay.turn.stun;

import dev.switchboard.relay.stun.StunAddress;
import dev.switchboard.relay.stun.StunException;
import dev.switchboard.relay.stun.StunMessage;
import dev.switchboard.relay.stun.TestMessages;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Any value under any TURN type with a reader: each class's reader and the registry's check agree on what is
 * malformed, and both refuse it with 400 only (never another exception). About 2 000 values per type.
 */
class TurnAttributesProperties {

    @FunctionalInterface
    private interface Reader {
        void read(StunMessage m) throws StunException;
    }

    private static final int[] TYPES = {TurnAttribute.CHANNEL_NUMBER, TurnAttribute.LIFETIME,
            TurnAttribute.XOR_PEER_ADDRESS, TurnAttribute.XOR_RELAYED_ADDRESS, TurnAttribute.REQUESTED_ADDRESS_FAMILY,
            TurnAttribute.ADDITIONAL_ADDRESS_FAMILY, TurnAttribute.EVEN_PORT, TurnAttribute.REQUESTED_TRANSPORT,
            TurnAttribute.RESERVATION_TOKEN, TurnAttribute.ADDRESS_ERROR_CODE, TurnAttribute.CONNECTION_ID};

    private static Reader reader(int type) {
        return switch (type) {
            case TurnAttribute.CHANNEL_NUMBER -> ChannelNumber::get;
            case TurnAttribute.LIFETIME -> Lifetime::get;
            case TurnAttribute.XOR_PEER_ADDRESS, TurnAttribute.XOR_RELAYED_ADDRESS ->
                    m -> m.getXorAddress(type, new StunAddress());
            case TurnAttribute.REQUESTED_ADDRESS_FAMILY -> AddressFamily.REQUESTED::get;
            case TurnAttribute.ADDITIONAL_ADDRESS_FAMILY -> AddressFamily.ADDITIONAL::get;
            case TurnAttribute.EVEN_PORT -> EvenPort::get;
            case TurnAttribute.REQUESTED_TRANSPORT -> RequestedTransport::get;
            case TurnAttribute.RESERVATION_TOKEN -> ReservationToken::get;
            case TurnAttribute.ADDRESS_ERROR_CODE -> m -> {
                AddressErrorCode.family(m);
                AddressErrorCode.code(m);
            };
            default -> ConnectionId::get;
        };
    }

    @Property(tries = 22_000)
    void readersAndChecksAgree(@ForAll @IntRange(max = 10) int which, @ForAll @Size(max = 24) byte[] value)
            throws StunException {
        int type = TYPES[which];
        StunMessage m = TestMessages.withRaw(type, value);
        assertEquals(outcome(TurnStun.REGISTRY::validate, m), outcome(reader(type), m),
                "type " + type + ", " + value.length + " bytes");
    }

    /** 0 when it passed, else the error code (anything but a StunException fails the property). */
    private static int outcome(Reader reader, StunMessage m) {
        try {
            reader.read(m);
            return 0;
        } catch (StunException e) {
            assertEquals(400, e.errorCode());
            return e.errorCode();
        }
    }
}
