package dev.switchboard.relay.turn.stun;

import dev.switchboard.relay.stun.NumberAttribute;
import dev.switchboard.relay.stun.StunEncoder;
import dev.switchboard.relay.stun.StunException;
import dev.switchboard.relay.stun.StunMessage;

/**
 * CHANNEL-NUMBER (RFC 8656 §18.1): a 16-bit channel number and 16 reserved bits. Whether the number is in the
 * channel range (0x4000-0x4FFF) is the ChannelBind method's check, which answers 400 for it.
 */
public final class ChannelNumber extends NumberAttribute {

    public static final ChannelNumber ATTRIBUTE = new ChannelNumber();

    private ChannelNumber() {
        super(TurnAttribute.CHANNEL_NUMBER, "CHANNEL-NUMBER", 4);
    }

    /** The channel number, or -1 when absent. */
    public static int get(StunMessage m) throws StunException {
        long v = m.getUnsigned32(TurnAttribute.CHANNEL_NUMBER);
        return v < 0 ? -1 : (int) (v >>> 16);
    }

    @Override
    protected void write(StunEncoder out, long channel) {
        if (channel < 0 || channel > 0xFFFF) {
            throw new IllegalArgumentException("not a 16-bit channel number: " + channel);
        }
        out.addUnsigned32(TurnAttribute.CHANNEL_NUMBER, channel << 16);
    }
}
