package dev.switchboard.relay.sfu.sdp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The SDPs captured from real clients (src/test/resources/sdp, see its README). */
final class Captures {

    static final String CHROMIUM_AV_OFFER = "chromium-av-offer.sdp";
    static final String CHROMIUM_SIMULCAST_OFFER = "chromium-simulcast-offer.sdp";
    static final String CHROMIUM_RECVONLY_OFFER = "chromium-recvonly-offer.sdp";
    static final String CHROMIUM_DATACHANNEL_OFFER = "chromium-datachannel-offer.sdp";
    static final String CHROMIUM_ANSWER = "chromium-answer.sdp";
    static final String FIREFOX_AV_OFFER = "firefox-av-offer.sdp";
    static final String FIREFOX_SIMULCAST_OFFER = "firefox-simulcast-offer.sdp";
    static final String FIREFOX_RECVONLY_OFFER = "firefox-recvonly-offer.sdp";
    static final String FIREFOX_DATACHANNEL_OFFER = "firefox-datachannel-offer.sdp";
    static final String FIREFOX_ANSWER = "firefox-answer.sdp";
    static final String GSTREAMER_OFFER = "gstreamer-whip-offer.sdp";
    static final String GSTREAMER_OFFER_GATHERED = "gstreamer-whip-offer-gathered.sdp";

    static final List<String> ALL = List.of(CHROMIUM_AV_OFFER, CHROMIUM_SIMULCAST_OFFER, CHROMIUM_RECVONLY_OFFER,
            CHROMIUM_DATACHANNEL_OFFER, CHROMIUM_ANSWER, FIREFOX_AV_OFFER, FIREFOX_SIMULCAST_OFFER,
            FIREFOX_RECVONLY_OFFER, FIREFOX_DATACHANNEL_OFFER, FIREFOX_ANSWER, GSTREAMER_OFFER,
            GSTREAMER_OFFER_GATHERED);

    private Captures() {
    }

    static String text(String name) {
        try (InputStream in = Captures.class.getResourceAsStream("/sdp/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing capture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static SessionDescription parse(String name) {
        try {
            return SdpParser.parse(text(name));
        } catch (SdpException e) {
            throw new AssertionError(name + ": " + e.getMessage(), e);
        }
    }
}
