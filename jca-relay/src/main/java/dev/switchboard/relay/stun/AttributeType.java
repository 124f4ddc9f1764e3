package dev.switchboard.relay.stun;

/**
 * One attribute type as the protocol that defines it sees it: its number, its registry name and how a received
 * value is checked. RFC 8489's types are built in ({@link StunRegistry#RFC_8489}); TURN, ICE and any other STUN
 * usage declare theirs as instances of this class and register them with {@link StunRegistry#with}, so the core
 * codec has no case for them. Instances are immutable and shared by every event loop.
 */
public abstract class AttributeType {

    private final int type;
    private final String name;

    protected AttributeType(int type, String name) {
        if (type < 0 || type > 0xFFFF) {
            throw new IllegalArgumentException("attribute type out of range: " + type);
        }
        this.type = type;
        this.name = name;
    }

    /** The 16-bit type number. */
    public final int type() {
        return type;
    }

    /** The IANA registry name, e.g. {@code XOR-MAPPED-ADDRESS}. */
    public final String name() {
        return name;
    }

    /**
     * Checks the layout of attribute {@code index} of {@code message} (whose type is this one), throwing a
     * {@link ErrorCode#BAD_REQUEST} exception when it is malformed. Runs on the packet path: must not allocate
     * (throw shared exceptions, see {@link StunException#shared}).
     */
    public abstract void check(StunMessage message, int index) throws StunException;

    /** A type whose value is opaque bytes of any length: nothing to check. */
    public static AttributeType opaque(int type, String name) {
        return new AttributeType(type, name) {
            @Override
            public void check(StunMessage message, int index) {
            }
        };
    }

    /** A type whose value is always {@code length} bytes (0 for a flag such as an empty attribute). */
    public static AttributeType fixedLength(int type, String name, int length) {
        return new AttributeType(type, name) {
            @Override
            public void check(StunMessage message, int index) throws StunException {
                message.checkLength(index, length);
            }
        };
    }

    /** A transport address laid out as MAPPED-ADDRESS or XOR-MAPPED-ADDRESS (the layouts are alike; §14.1, §14.2). */
    public static AttributeType address(int type, String name) {
        return new AttributeType(type, name) {
            @Override
            public void check(StunMessage message, int index) throws StunException {
                message.checkAddressAt(index);
            }
        };
    }

    @Override
    public String toString() {
        return name;
    }
}
