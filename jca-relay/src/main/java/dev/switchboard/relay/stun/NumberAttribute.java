package dev.switchboard.relay.stun;

/**
 * An attribute whose value is a number in a fixed-size layout of its protocol's choosing (a TURN lifetime, an ICE
 * priority...): the extension point by which protocols beyond RFC 8489 are written with
 * {@link StunEncoder#add(NumberAttribute, long)} in a fluent chain, without StunEncoder knowing them. Reading is
 * each subclass's own (a getter suited to its value), built on {@link StunMessage#getUnsigned32} and friends.
 */
public abstract class NumberAttribute extends AttributeType {

    private final int length;

    /** @param length the value's size in bytes, which {@link #check} enforces */
    protected NumberAttribute(int type, String name, int length) {
        super(type, name);
        this.length = length;
    }

    /** The value's size in bytes. */
    public final int length() {
        return length;
    }

    /**
     * Appends this attribute with {@code value} (its meaning is the subclass's); throws
     * {@link IllegalArgumentException} for a value it cannot carry. Must not allocate.
     */
    protected abstract void write(StunEncoder out, long value);

    /** The length check; a subclass with more to check (a range, a family) overrides and calls this first. */
    @Override
    public void check(StunMessage message, int index) throws StunException {
        message.checkLength(index, length);
    }
}
