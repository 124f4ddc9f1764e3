package dev.switchboard.web.whip;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** The captured Chromium offer (test resources, sdp/README.md). */
final class Offers {

    static final String CHROMIUM = load("/sdp/chromium-av-offer.sdp");
    /** Its ICE ufrag, as the file says. */
    static final String CHROMIUM_UFRAG = "Ri4S";

    private Offers() {
    }

    private static String load(String name) {
        try (InputStream in = Offers.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
