package dev.switchboard.relay.sfu.rtp;

/**
 * The client-to-mixer audio level extension ({@code urn:ietf:params:rtp-hdrext:ssrc-audio-level}, RFC 6464 §3): one
 * byte, the V (voice activity) flag in the top bit and the level in -dBov (0 loudest, 127 silence) below it. The
 * active-speaker detector reads it.
 */
public final class AudioLevel {

    /** RFC 6464 §3: 127 is the level of digital silence (or no level known). */
    public static final int SILENCE = 127;

    private AudioLevel() {
    }

    /**
     * The raw byte of extension {@code id} (V flag in bit 7, level in bits 0..6), or -1 when absent or empty. More
     * than one byte is allowed (§3 permits padding in the two-byte form); the first one counts.
     */
    public static int read(RtpPacket packet, int id) {
        int at = packet.extensionOffset(id);
        if (at < 0 || packet.extensionLength(id) < 1) {
            return -1;
        }
        return Wire.u8(packet.buffer(), at);
    }

    /** True when a value from {@link #read} has the V flag (the sender thinks this is speech). */
    public static boolean voice(int raw) {
        return raw >= 0 && (raw & 0x80) != 0;
    }

    /** The level in -dBov (0..127) of a value from {@link #read}. */
    public static int level(int raw) {
        return raw & 0x7F;
    }

    /** Overwrites extension {@code id}'s value in place; false when absent or empty. */
    public static boolean write(RtpPacket packet, int id, boolean voice, int level) {
        int at = packet.extensionOffset(id);
        if (at < 0 || packet.extensionLength(id) < 1) {
            return false;
        }
        Wire.put8(packet.buffer(), at, (voice ? 0x80 : 0) | (level & 0x7F));
        return true;
    }
}
