package dev.switchboard.relay.sfu.sdp;

/**
 * Reads the space-separated fields of one line's value, turning every malformed field into an
 * {@link SdpException} that names the line (never a NumberFormatException or an index error).
 */
final class Tokens {

    private final String text;
    private final int line;
    private final String what;
    private int pos;

    Tokens(String text, int line, String what) {
        this.text = text;
        this.line = line;
        this.what = what;
    }

    int line() {
        return line;
    }

    boolean hasMore() {
        return pos < text.length();
    }

    /** The next field, which must exist and be non-empty (two spaces in a row are an error). */
    String next(String field) throws SdpException {
        if (pos >= text.length()) {
            throw fail("missing " + field);
        }
        int end = text.indexOf(' ', pos);
        if (end < 0) {
            end = text.length();
        }
        if (end == pos) {
            throw fail("empty " + field + " (two spaces in a row?)");
        }
        String token = text.substring(pos, end);
        pos = end == text.length() ? end : end + 1;
        if (pos == text.length() && end < text.length()) {
            throw fail("trailing space after " + field);
        }
        return token;
    }

    /** Everything left (non-empty), as written. */
    String rest(String field) throws SdpException {
        if (pos >= text.length()) {
            throw fail("missing " + field);
        }
        String rest = text.substring(pos);
        pos = text.length();
        return rest;
    }

    long nextLong(String field, long min, long max) throws SdpException {
        return number(next(field), field, min, max);
    }

    int nextInt(String field, int min, int max) throws SdpException {
        return (int) number(next(field), field, min, max);
    }

    void end() throws SdpException {
        if (hasMore()) {
            throw fail("unexpected \"" + Text.clip(text.substring(pos)) + "\"");
        }
    }

    long number(String token, String field, long min, long max) throws SdpException {
        return number(token, field, min, max, line, what);
    }

    SdpException fail(String reason) {
        return new SdpException(line, "bad " + what + ": " + reason);
    }

    /** A decimal number of at most 19 digits within [min, max]. */
    static long number(String token, String field, long min, long max, int line, String what) throws SdpException {
        if (token.isEmpty() || token.length() > 19 || !Text.allDigits(token)) {
            throw new SdpException(line, "bad " + what + ": " + field + " is not a number: \"" + Text.clip(token) + "\"");
        }
        long v = Long.parseLong(token);
        if (v < min || v > max) {
            throw new SdpException(line, "bad " + what + ": " + field + " " + v + " is outside " + min + ".." + max);
        }
        return v;
    }
}
