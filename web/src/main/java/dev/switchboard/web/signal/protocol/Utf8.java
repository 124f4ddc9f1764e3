package dev.switchboard.web.signal.protocol;

/** UTF-8 lengths without encoding: size limits are in bytes, Java strings are in chars. */
public final class Utf8 {

    private Utf8() {
    }

    /** The number of bytes {@code s} takes in UTF-8 (lone surrogates count 3, as the encoder replaces them). */
    public static int length(CharSequence s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /** True when {@code s} is longer than {@code max} bytes, counting only as far as needed. */
    public static boolean longerThan(CharSequence s, int max) {
        if (s.length() > max) {
            return true; // every char is at least one byte
        }
        if ((long) s.length() * 3 <= max) {
            return false; // every char (half a surrogate pair) is at most three bytes
        }
        return length(s) > max;
    }

    /** The longest prefix of {@code s} that fits {@code max} bytes, never splitting a surrogate pair. */
    public static String truncate(String s, int max) {
        if (!longerThan(s, max)) {
            return s;
        }
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
            int size = c < 0x80 ? 1 : c < 0x800 ? 2 : pair ? 4 : 3;
            if (n + size > max) {
                return s.substring(0, i);
            }
            n += size;
            if (pair) {
                i++;
            }
        }
        return s;
    }
}
