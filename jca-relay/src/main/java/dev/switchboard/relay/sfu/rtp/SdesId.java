package dev.switchboard.relay.sfu.rtp;

/**
 * The identifier extensions that carry SDES text in RTP (RFC 7941): mid ({@code urn:ietf:params:rtp-hdrext:sdes:mid},
 * RFC 8843 §15), rid ({@code ...:sdes:rtp-stream-id}, RFC 8852 §3.1) and repaired-rid
 * ({@code ...:sdes:repaired-rtp-stream-id}, RFC 8852 §3.2). They are ASCII tokens; rather than make a string per
 * packet, the caller compares the bytes in place with the few values its session negotiated, or copies them out.
 */
public final class SdesId {

    private SdesId() {
    }

    /**
     * True when extension {@code id} is present and its value is exactly {@code expected}, compared byte by byte
     * with the string's characters (an ASCII token; a non-ASCII character never matches).
     */
    public static boolean matches(RtpPacket packet, int id, CharSequence expected) {
        int at = packet.extensionOffset(id);
        int len = packet.extensionLength(id);
        if (at < 0 || len != expected.length()) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if ((packet.buffer().get(at + i) & 0xFF) != expected.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Which of {@code candidates} extension {@code id} holds (for a rid: the simulcast layer's index), or -1 when
     * absent or none matches. The array is the caller's, made once per session.
     */
    public static int indexOf(RtpPacket packet, int id, String[] candidates) {
        if (packet.extensionOffset(id) < 0) {
            return -1;
        }
        for (int i = 0; i < candidates.length; i++) {
            if (matches(packet, id, candidates[i])) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Copies extension {@code id}'s bytes into {@code into} at 0.
     *
     * @return the count copied, or -1 when absent or longer than {@code into}
     */
    public static int copy(RtpPacket packet, int id, byte[] into) {
        int at = packet.extensionOffset(id);
        int len = packet.extensionLength(id);
        if (at < 0 || len > into.length) {
            return -1;
        }
        packet.buffer().get(at, into, 0, len);
        return len;
    }

    /**
     * Overwrites extension {@code id}'s value in place with {@code value} (ASCII), which must be as long as the
     * present one: a value of another length needs the header rebuilt, which this in-place codec does not do.
     *
     * @return false when absent or the lengths differ
     */
    public static boolean write(RtpPacket packet, int id, CharSequence value) {
        int at = packet.extensionOffset(id);
        if (at < 0 || packet.extensionLength(id) != value.length()) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            packet.buffer().put(at + i, (byte) value.charAt(i));
        }
        return true;
    }
}
