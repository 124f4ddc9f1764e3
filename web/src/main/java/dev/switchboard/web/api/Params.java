package dev.switchboard.web.api;

import jakarta.ws.rs.core.Response;


/**
 * Path and query parameters, converted by us rather than by the JAX-RS runtime: it answers a bad number in a path
 * with 404 and a message naming its own classes. Here a value that is not of its type is 400 {@code
 * invalid-parameter}, naming the parameter and quoting at most an excerpt.
 */
final class Params {

    private Params() {
    }

    /** A database id: a positive decimal long. */
    static long id(String name, String value) {
        long id = longValue(name, value);
        if (id < 1) {
            throw invalid(name, value, "a positive integer");
        }
        return id;
    }

    /** Null when absent. */
    static Long optionalId(String name, String value) {
        return value == null ? null : id(name, value);
    }

    /** Paging offset: absent is 0. */
    static int first(String value) {
        int first = value == null ? 0 : intValue("first", value);
        if (first < 0) {
            throw invalid("first", value, "an integer of at least 0");
        }
        return first;
    }

    /** Page size: absent is {@code dflt}; the services cut it to their own maximum. */
    static int max(String value, int dflt) {
        int max = value == null ? dflt : intValue("max", value);
        if (max < 1) {
            throw invalid("max", value, "an integer of at least 1");
        }
        return max;
    }

    private static int intValue(String name, String value) {
        long v = longValue(name, value);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw invalid(name, value, "an integer of at most " + Integer.MAX_VALUE);
        }
        return (int) v;
    }

    /** Decimal digits with an optional minus sign, nothing else (no +, spaces, fractions, exponents or hex). */
    private static long longValue(String name, String value) {
        if (value == null || !value.matches("-?[0-9]{1,19}")) {
            throw invalid(name, value, "an integer");
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw invalid(name, value, "an integer of at most " + Long.MAX_VALUE);
        }
    }

    private static ProblemException invalid(String name, String value, String what) {
        return new ProblemException(Response.Status.BAD_REQUEST, "invalid-parameter",
                name + " must be " + what + ", not '" + Problem.excerpt(value) + "'");
    }
}
