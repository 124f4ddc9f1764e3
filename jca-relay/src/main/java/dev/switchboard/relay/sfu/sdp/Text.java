package dev.switchboard.relay.sfu.sdp;

/** Character classes of RFC 8866 and RFC 8839 and the writer's guard against values that would break a line. */
final class Text {

    private Text() {
    }

    static boolean allDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** RFC 8866 token-char = %x21 / %x23-27 / %x2A-2B / %x2D-2E / %x30-39 / %x41-5A / %x5E-7E (braces included). */
    static boolean isTokenChar(char c) {
        return c == '!' || c >= '#' && c <= '\'' || c == '*' || c == '+' || c == '-' || c == '.'
                || c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= '^' && c <= '~';
    }

    /** A non-empty run of token-chars. */
    static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isTokenChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** RFC 8839 ice-char: ALPHA / DIGIT / "+" / "/". */
    static boolean isIceChars(String s) {
        return alphaNumericOr(s, "+/");
    }

    /** RFC 8851 rid-id: ALPHA / DIGIT / "-" / "_". */
    static boolean isRidId(String s) {
        return alphaNumericOr(s, "-_");
    }

    /** Non-empty, ASCII letters and digits and the characters of {@code extra} only. */
    private static boolean alphaNumericOr(String s, String extra) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || extra.indexOf(c) >= 0)) {
                return false;
            }
        }
        return !s.isEmpty();
    }

    /** Error messages quote input: keep them short and printable. */
    static String clip(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 40; i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c < 0x7F ? c : '?');
        }
        return s.length() > 40 ? b + "..." : b.toString();
    }

    /** The writer's guard: a value with a line break or NUL would inject lines. */
    static String checked(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                throw new IllegalArgumentException("SDP value contains CR, LF or NUL: " + clip(value));
            }
        }
        return value;
    }
}
