package dev.switchboard.relay.config;

import dev.switchboard.relay.turn.policy.IpLiteral;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The kinds of value a {@link Setting} takes. Each parser throws {@link IllegalArgumentException} saying what a valid
 * value is; {@link Setting#parse} adds the property and the value given. Surrounding blanks are ignored except where
 * a value is taken as written (passwords).
 */
public final class Values {

    private Values() {
    }

    /** A whole number from {@code min} to {@code max}. */
    public static Function<String, Integer> integer(int min, int max) {
        return text -> (int) whole(text, min, max);
    }

    /** A whole number from {@code min} to {@code max}, as a long. */
    public static Function<String, Long> longInteger(long min, long max) {
        return text -> whole(text, min, max);
    }

    /** A TCP or UDP port; 0 where the setting says it turns something off. */
    public static Function<String, Integer> port() {
        return integer(0, 65_535);
    }

    /** Whole seconds, at least one. */
    public static Function<String, Duration> seconds() {
        return text -> Duration.ofSeconds(whole(text, 1, Integer.MAX_VALUE));
    }

    /** A finite decimal number, at least {@code min}. */
    public static Function<String, Double> decimal(double min) {
        return text -> {
            try {
                double d = Double.parseDouble(text.trim());
                if (Double.isFinite(d) && d >= min) {
                    return d;
                }
            } catch (NumberFormatException ignored) {
                // described below
            }
            throw new IllegalArgumentException("a number of at least " + plain(min) + " is expected");
        };
    }

    public static Function<String, Boolean> bool() {
        return text -> {
            String v = text.trim();
            if (v.equalsIgnoreCase("true")) {
                return true;
            }
            if (v.equalsIgnoreCase("false")) {
                return false;
            }
            throw new IllegalArgumentException("true or false is expected");
        };
    }

    /** The text as written (a password: blanks are part of it). */
    public static Function<String, String> verbatim() {
        return text -> text;
    }

    /** The text without surrounding blanks. */
    public static Function<String, String> trimmed() {
        return String::trim;
    }

    /** The text without surrounding blanks, not empty. */
    public static Function<String, String> nonEmpty() {
        return text -> {
            String v = text.trim();
            if (v.isEmpty()) {
                throw new IllegalArgumentException("a value is required");
            }
            return v;
        };
    }

    /** A comma-separated list; items trimmed, empty ones dropped. */
    public static Function<String, List<String>> list() {
        return Values::split;
    }

    /** Ports, comma-separated; {@code 0} (or nothing) stands for none. */
    public static Function<String, List<Integer>> ports() {
        Function<String, Integer> port = port();
        return text -> {
            List<Integer> ports = new ArrayList<>();
            for (String item : split(text)) {
                int p = port.apply(item);
                if (p != 0) {
                    ports.add(p);
                }
            }
            return ports;
        };
    }

    /**
     * IP literals ({@link IpLiteral}'s strict syntax), comma-separated, duplicates dropped, e.g.
     * {@code 127.0.0.1, [::1]}. No DNS: a relay binds where the operator said, and start-up must not wait for a
     * resolver.
     *
     * @param required whether an empty list is refused
     */
    public static Function<String, List<InetAddress>> addresses(boolean required) {
        return text -> {
            List<InetAddress> parsed = new ArrayList<>();
            for (String item : split(text)) {
                InetAddress a = IpLiteral.parse(item);
                if (!parsed.contains(a)) {
                    parsed.add(a);
                }
            }
            if (required && parsed.isEmpty()) {
                throw new IllegalArgumentException("at least one IP address is required");
            }
            return parsed;
        };
    }

    /** A value some other parser checks (a CIDR list, a NAT mapping), kept as text without surrounding blanks. */
    public static Function<String, String> checkedBy(Function<String, ?> check) {
        return text -> {
            check.apply(text);
            return text.trim();
        };
    }

    static List<String> split(String value) {
        List<String> out = new ArrayList<>();
        for (String part : (value == null ? "" : value).split(",")) {
            if (!part.isBlank()) {
                out.add(part.trim());
            }
        }
        return out;
    }

    private static long whole(String text, long min, long max) {
        try {
            long n = Long.parseLong(text.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // described below
        }
        throw new IllegalArgumentException(max == Integer.MAX_VALUE || max == Long.MAX_VALUE
                ? "a whole number of at least " + min + " is expected"
                : "a whole number from " + min + " to " + max + " is expected");
    }

    private static String plain(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
