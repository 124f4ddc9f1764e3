package dev.switchboard.relay.ice;

import dev.switchboard.relay.stun.StunException;
import dev.switchboard.relay.stun.StunMessage;
import dev.switchboard.relay.stun.TestMessages;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Any value under any ICE type: each class's reader and the registry's check agree on what is malformed, and
 * both refuse it with 400 only (never another exception). 4 000 values per type.
 */
class IceAttributesProperties {

    @FunctionalInterface
    private interface Reader {
        void read(StunMessage m) throws StunException;
    }

    private static final int[] TYPES = {IceAttribute.PRIORITY, IceAttribute.USE_CANDIDATE,
            IceAttribute.ICE_CONTROLLED, IceAttribute.ICE_CONTROLLING};

    private static Reader reader(int type) {
        return switch (type) {
            case IceAttribute.PRIORITY -> Priority::get;
            case IceAttribute.USE_CANDIDATE -> UseCandidate::isPresent;
            case IceAttribute.ICE_CONTROLLED -> m -> {
                IceRole.CONTROLLED.tieBreaker(m);
                RoleConflict.resolve(false, 0, m);
            };
            default -> m -> {
                IceRole.CONTROLLING.tieBreaker(m);
                RoleConflict.resolve(true, 0, m);
            };
        };
    }

    @Property(tries = 16_000)
    void readersAndChecksAgree(@ForAll @IntRange(max = 3) int which, @ForAll @Size(max = 24) byte[] value)
            throws StunException {
        int type = TYPES[which];
        StunMessage m = TestMessages.withRaw(type, value);
        int readerSays = outcome(reader(type), m);
        int checkSays = outcome(IceStun.REGISTRY::validate, m);
        assertEquals(checkSays, readerSays, "type " + type + ", " + value.length + " bytes");
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
