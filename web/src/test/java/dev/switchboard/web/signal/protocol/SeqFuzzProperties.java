package dev.switchboard.web.signal.protocol;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whatever a client puts as {@code ack}'s {@code seq} or {@code resume}'s {@code lastSeq}, the parser returns an
 * integer from 0 to {@link Inbound#MAX_SEQ} or refuses it with {@code invalid-message}: never another exception, never
 * a value a JavaScript client could not hold. Numbers around the limits, signs, fractions, exponents, long digit runs
 * and values of other JSON kinds.
 */
class SeqFuzzProperties {

    @Property(tries = 20_000)
    void ackSeq(@ForAll("values") String value) {
        check("{\"type\":\"ack\",\"seq\":" + value + "}", value);
    }

    @Property(tries = 10_000)
    void resumeLastSeq(@ForAll("values") String value) {
        check("{\"type\":\"resume\",\"token\":\"t\",\"lastSeq\":" + value + "}", value);
    }

    private static void check(String text, String value) {
        Inbound in;
        try {
            in = Inbound.parse(text);
        } catch (ProtocolException e) {
            assertTrue(e.code() == ErrorCode.INVALID_MESSAGE || e.code() == ErrorCode.MALFORMED_JSON, text + " " + e.code());
            return;
        }
        long seq = in instanceof Inbound.Ack a ? a.seq() : ((Inbound.Resume) in).lastSeq();
        assertTrue(seq >= 0 && seq <= Inbound.MAX_SEQ, text);
        assertEquals(0, new java.math.BigDecimal(value.trim()).compareTo(java.math.BigDecimal.valueOf(seq)),
                "the value as written (-0 is 0): " + text);
    }

    @Provide
    Arbitrary<String> values() {
        Arbitrary<String> near = Arbitraries.longs().between(-3, 3)
                .map(d -> Long.toString(Inbound.MAX_SEQ + d));
        Arbitrary<String> any = Arbitraries.longs().map(n -> Long.toString(n));
        Arbitrary<String> digits = Arbitraries.strings().withChars("0123456789").ofMinLength(1).ofMaxLength(40);
        Arbitrary<String> shaped = Arbitraries.strings().withChars("0123456789-+.eE").ofMinLength(1).ofMaxLength(25);
        Arbitrary<String> others = Arbitraries.of("null", "true", "\"1\"", "[1]", "{\"n\":1}", "1.0", "1e2", "-0", "0");
        return Arbitraries.oneOf(near, any, digits, shaped, others);
    }
}
