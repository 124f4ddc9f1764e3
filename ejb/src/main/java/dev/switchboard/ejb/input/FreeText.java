package dev.switchboard.ejb.input;

import java.util.function.Function;

/**
 * The one rule for free text a client names things with (room names, display names, labels, e-mail addresses,
 * reasons): at most a given number of characters, and nothing that is not printable text — no control characters
 * (C0, DEL, C1, so no line breaks either), no unpaired surrogates, no noncharacters. Such text ends up in logs, close
 * reasons, other users' screens and JSON caches, where a control character or half a character does harm.
 */
public final class FreeText {

    private FreeText() {
    }

    /**
     * @param value null passes (optional fields); the caller checks presence
     * @param error makes the caller's exception from the message, which names {@code field}
     */
    public static void check(String field, String value, int max, Function<String, ? extends RuntimeException> error) {
        if (value == null) {
            return;
        }
        if (value.length() > max) {
            throw error.apply(field + " must be at most " + max + " characters");
        }
        String bad = problem(value);
        if (bad != null) {
            throw error.apply(field + " must not contain " + bad);
        }
    }

    /** What is wrong with {@code value} as free text (a short phrase), or null when nothing is. */
    public static String problem(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c)) {
                return "control characters";
            }
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
                if ((value.codePointAt(i - 1) & 0xFFFE) == 0xFFFE) {
                    return "noncharacters";
                }
                continue;
            }
            if (Character.isSurrogate(c)) {
                return "unpaired surrogates";
            }
            if ((c >= '\uFDD0' && c <= '\uFDEF') || c == '\uFFFE' || c == '\uFFFF') {
                return "noncharacters";
            }
        }
        return null;
    }
}
