package dev.switchboard.relay.sfu;

/** Participant labels as they appear in SDP: {@code a=msid} ids are 1–64 token characters (RFC 8830 §2). */
final class Labels {

    private static final int MAX = 40; // room for "-<mid>" in a track id of at most 64
    private static final String TOKEN_PUNCTUATION = "!#$%&'*+-.^_`{|}~";

    private Labels() {
    }

    /** {@code label} with every character that is not a token character replaced by '_', cut to 40; "-" if empty. */
    static String token(String label) {
        StringBuilder out = new StringBuilder(Math.min(label.length(), MAX));
        for (int i = 0; i < label.length() && out.length() < MAX; i++) {
            char c = label.charAt(i);
            boolean token = c < 128 && (Character.isLetterOrDigit(c) || TOKEN_PUNCTUATION.indexOf(c) >= 0);
            out.append(token ? c : '_');
        }
        return out.isEmpty() ? "-" : out.toString();
    }
}
