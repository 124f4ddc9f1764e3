package dev.switchboard.web.whip;

import dev.switchboard.web.api.ProblemException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whatever a stranger POSTs or PATCHes, the SDP envelope check and the fragment reader either take it or refuse it
 * with a 4xx problem: never another exception. 100 000 inputs: random bytes, and mutations of the captured Chromium
 * offer (bytes overwritten, inserted, deleted, the body cut).
 */
class SdpTextFuzzProperties {

    private static final byte[] OFFER = Offers.CHROMIUM.getBytes(StandardCharsets.UTF_8);

    @Property(tries = 40_000)
    void randomBytes(@ForAll("bytes") byte[] body) throws IOException {
        check(body);
    }

    @Property(tries = 60_000)
    void mutatedOffers(@ForAll("mutations") byte[] body) throws IOException {
        check(body);
    }

    private static void check(byte[] body) throws IOException {
        for (String type : new String[]{SdpText.SDP, SdpText.TRICKLE}) {
            try {
                String text = SdpText.read(type, type, new ByteArrayInputStream(body));
                TrickleFragment.parse(text).isIceRestart("Ri4S", null);
            } catch (ProblemException e) {
                int status = e.problem().status();
                assertTrue(status >= 400 && status < 500, e.problem().toString());
            }
        }
    }

    @Provide
    Arbitrary<byte[]> bytes() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(2048);
    }

    @Provide
    Arbitrary<byte[]> mutations() {
        Arbitrary<Integer> at = Arbitraries.integers().between(0, OFFER.length - 1);
        Arbitrary<Byte> value = Arbitraries.bytes();
        return Arbitraries.oneOf(
                at.flatMap(i -> value.map(v -> overwrite(i, v))),
                at.flatMap(i -> value.map(v -> insert(i, v))),
                at.map(SdpTextFuzzProperties::delete),
                at.map(i -> java.util.Arrays.copyOf(OFFER, i)));
    }

    private static byte[] overwrite(int i, byte v) {
        byte[] b = OFFER.clone();
        b[i] = v;
        return b;
    }

    private static byte[] insert(int i, byte v) {
        byte[] b = new byte[OFFER.length + 1];
        System.arraycopy(OFFER, 0, b, 0, i);
        b[i] = v;
        System.arraycopy(OFFER, i, b, i + 1, OFFER.length - i);
        return b;
    }

    private static byte[] delete(int i) {
        byte[] b = new byte[OFFER.length - 1];
        System.arraycopy(OFFER, 0, b, 0, i);
        System.arraycopy(OFFER, i + 1, b, i, OFFER.length - i - 1);
        return b;
    }
}
