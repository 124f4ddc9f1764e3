package dev.switchboard.relay.stun;

/**
 * Strict UTF-8 checks (RFC 3629) over raw bytes, without decoding into a String: the decoder validates text
 * attributes in place, and the JDK's decoder would allocate.
 */
final class Utf8 {

    private Utf8() {
    }

    /**
     * The number of code points in {@code b[offset, offset+length)}, or -1 when the bytes are not well-formed UTF-8
     * (bad lead or continuation bytes, truncated sequences, overlong forms, surrogates, or beyond U+10FFFF).
     */
    static int codePoints(byte[] b, int offset, int length) {
        int end = offset + length;
        int count = 0;
        int i = offset;
        while (i < end) {
            int c = b[i] & 0xFF;
            int need;
            int min;
            if (c < 0x80) {
                i++;
                count++;
                continue;
            } else if (c >= 0xC2 && c <= 0xDF) {
                need = 1;
                min = 0x80;
                c &= 0x1F;
            } else if (c >= 0xE0 && c <= 0xEF) {
                need = 2;
                min = 0x800;
                c &= 0x0F;
            } else if (c >= 0xF0 && c <= 0xF4) {
                need = 3;
                min = 0x10000;
                c &= 0x07;
            } else {
                return -1;
            }
            if (end - i <= need) {
                return -1;
            }
            for (int k = 1; k <= need; k++) {
                int cont = b[i + k] & 0xFF;
                if ((cont & 0xC0) != 0x80) {
                    return -1;
                }
                c = c << 6 | (cont & 0x3F);
            }
            if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
                return -1;
            }
            i += need + 1;
            count++;
        }
        return count;
    }
}
