package dev.switchboard.relay.stun;

import java.text.Normalizer;

/**
 * An approximation of the PRECIS OpaqueString profile (RFC 8265 §4.2) that RFC 8489 applies to usernames, realms
 * and passwords before keys are derived. It does what the profile does for the strings STUN deployments use:
 * non-ASCII spaces become U+0020, the result is NFC-normalised, and it must be non-empty. It approximates the
 * FreeformClass repertoire (RFC 8264 §4.3) with the JDK's Unicode tables: controls, format characters
 * (default-ignorables such as U+00AD, and also the join controls PRECIS allows in context), unassigned and
 * private-use code points and lone surrogates are rejected. The JDK has no PRECIS implementation and the codec
 * takes no dependencies; exotic inputs may therefore be accepted or rejected differently from a full
 * implementation.
 */
public final class OpaqueString {

    private OpaqueString() {
    }

    /**
     * The prepared form of {@code s}.
     *
     * @throws StunException ({@link ErrorCode#BAD_REQUEST}) when {@code s} is empty or holds a disallowed code
     *                       point
     */
    public static String prepare(String s) throws StunException {
        StringBuilder mapped = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            int category = Character.getType(cp);
            switch (category) {
                case Character.CONTROL, Character.FORMAT, Character.UNASSIGNED, Character.SURROGATE,
                        Character.PRIVATE_USE ->
                        throw new StunException(String.format("disallowed code point U+%04X", cp),
                                ErrorCode.BAD_REQUEST);
                // RFC 8265 §4.2.1: "Additional Mapping Rule" maps non-ASCII space to ASCII space.
                case Character.SPACE_SEPARATOR -> mapped.append(' ');
                default -> mapped.appendCodePoint(cp);
            }
        }
        String normalized = Normalizer.normalize(mapped, Normalizer.Form.NFC);
        if (normalized.isEmpty()) {
            throw new StunException("empty string", ErrorCode.BAD_REQUEST);
        }
        return normalized;
    }
}
