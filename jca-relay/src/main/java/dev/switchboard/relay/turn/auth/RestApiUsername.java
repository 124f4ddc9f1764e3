package dev.switchboard.relay.turn.auth;

/**
 * TURN REST API usernames (draft-uberti-behave-turn-rest, as coturn's {@code use-auth-secret} implements it): the
 * expiry time in Unix seconds combined with an optional user id, {@code "1893456000:alice"}. Accepted forms, as in
 * coturn's {@code get_rest_api_timestamp}: {@code timestamp}, {@code timestamp<sep>user-id} and (when the part
 * before the first separator is not all digits) {@code user-id<sep>timestamp}. Stricter than coturn, which reads
 * the number with {@code atol}: the timestamp must be 1..18 ASCII digits and nothing else, so {@code "+5:x"},
 * {@code " 5:x"}, {@code "5x:y"} or a leading separator are refused rather than read as some number.
 */
public final class RestApiUsername {

    /** coturn's default {@code rest-api-separator}. */
    public static final char DEFAULT_SEPARATOR = ':';

    /** Unparseable, see {@link #expiry}. */
    public static final long INVALID = -1;

    private static final int MAX_DIGITS = 18; // stays below Long.MAX_VALUE without overflow checks

    private RestApiUsername() {
    }

    /** The expiry in Unix seconds, or {@link #INVALID}. Allocation-free; never throws. */
    public static long expiry(String username, char separator) {
        if (username == null || username.isEmpty()) {
            return INVALID;
        }
        int sep = username.indexOf(separator);
        if (sep < 0) {
            return digits(username, 0, username.length());
        }
        if (sep == 0) {
            return INVALID;
        }
        long before = digits(username, 0, sep);
        return before != INVALID ? before : digits(username, sep + 1, username.length());
    }

    /**
     * The user id of a REST API username ({@code "1893456000:alice"} and {@code "alice:1893456000"} give
     * {@code alice}), or {@code null} when it has none ({@code "1893456000"}) or is not one: what stays the same from
     * one credential of a user to the next, as coturn's {@code get_real_username} sees it for quotas.
     */
    public static String userId(String username, char separator) {
        if (expiry(username, separator) == INVALID) {
            return null;
        }
        int sep = username.indexOf(separator);
        if (sep < 0) {
            return null;
        }
        String before = username.substring(0, sep);
        String after = username.substring(sep + 1);
        String id = digits(username, 0, sep) != INVALID ? after : before;
        return id.isEmpty() ? null : id;
    }

    /**
     * A username {@code expiry<sep>userId} (or just the expiry when {@code userId} is null or empty), the form an
     * application mints for its clients.
     */
    public static String of(long expiresAtEpochSecond, String userId, char separator) {
        if (expiresAtEpochSecond < 0) {
            throw new IllegalArgumentException("expiry must be a Unix time in seconds, got " + expiresAtEpochSecond);
        }
        return userId == null || userId.isEmpty() ? Long.toString(expiresAtEpochSecond)
                : expiresAtEpochSecond + String.valueOf(separator) + userId;
    }

    /**
     * Checks a configured separator: one character that cannot be part of the timestamp.
     *
     * @param text null or empty for the default {@code ':'}
     */
    public static char parseSeparator(String text) {
        if (text == null || text.isEmpty()) {
            return DEFAULT_SEPARATOR;
        }
        if (text.length() != 1) {
            throw new IllegalArgumentException("the REST API separator is a single character, got '" + text + "'");
        }
        char c = text.charAt(0);
        checkSeparator(c);
        return c;
    }

    static void checkSeparator(char c) {
        if (c < 0x21 || c > 0x7E || (c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("the REST API separator must be a printable ASCII character other"
                    + " than a digit, got U+" + String.format("%04X", (int) c));
        }
    }

    private static long digits(String s, int from, int to) {
        int n = to - from;
        if (n < 1 || n > MAX_DIGITS) {
            return INVALID;
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return INVALID;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
