package dev.switchboard.relay.sfu.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * What the SFU negotiates: its codecs in order of preference (the answer lists accepted codecs in this order, so
 * the publisher sends the first one both sides have) and the RTP header extensions it reads, each with the id it
 * uses in its own offers.
 */
public record ServerCapabilities(List<CodecCapability> codecs, List<HeaderExtension> extensions) {

    /** An RTP header extension (RFC 8285) for audio and/or video sections. */
    public record HeaderExtension(String uri, int id, boolean audio, boolean video) {
        boolean appliesTo(String kind) {
            return kind.equals(MediaDescription.AUDIO) ? audio : kind.equals(MediaDescription.VIDEO) && video;
        }
    }

    private static final List<String> VIDEO_FEEDBACK = List.of("goog-remb", "transport-cc", "ccm fir", "nack",
            "nack pli");

    public ServerCapabilities {
        codecs = List.copyOf(codecs);
        extensions = List.copyOf(extensions);
    }

    /**
     * Opus/48000/2 (useinbandfec), VP8, H.264 Constrained Baseline with packetization-mode 1, and VP9 profile 0
     * when {@code vp9}; RTX for each video codec; feedback nack, nack pli, ccm fir, goog-remb, transport-cc
     * (audio: transport-cc); extensions mid, rid, repaired-rid, abs-send-time, transport-wide-cc,
     * ssrc-audio-level. The payload types and extension ids are Chromium's, so offers read familiarly.
     */
    public static ServerCapabilities standard(boolean vp9) {
        List<CodecCapability> codecs = new ArrayList<>();
        codecs.add(new CodecCapability(MediaDescription.AUDIO, CodecCapability.OPUS, 48000, 2,
                "minptime=10;useinbandfec=1", List.of("transport-cc"), 111, 0));
        codecs.add(new CodecCapability(MediaDescription.VIDEO, CodecCapability.VP8, 90000, 0, "", VIDEO_FEEDBACK,
                96, 97));
        codecs.add(new CodecCapability(MediaDescription.VIDEO, CodecCapability.H264, 90000, 0,
                "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f", VIDEO_FEEDBACK, 109, 114));
        if (vp9) {
            codecs.add(new CodecCapability(MediaDescription.VIDEO, CodecCapability.VP9, 90000, 0, "profile-id=0",
                    VIDEO_FEEDBACK, 98, 99));
        }
        return new ServerCapabilities(codecs, List.of(
                new HeaderExtension(Extmap.SSRC_AUDIO_LEVEL, 1, true, false),
                new HeaderExtension(Extmap.ABS_SEND_TIME, 2, true, true),
                new HeaderExtension(Extmap.TRANSPORT_WIDE_CC, 3, true, true),
                new HeaderExtension(Extmap.MID, 4, true, true),
                new HeaderExtension(Extmap.RID, 10, false, true),
                new HeaderExtension(Extmap.REPAIRED_RID, 11, false, true)));
    }

    List<CodecCapability> codecs(String kind) {
        return codecs.stream().filter(c -> c.kind().equals(kind)).toList();
    }

    HeaderExtension extension(String uri, String kind) {
        for (HeaderExtension e : extensions) {
            if (e.uri().equals(uri) && e.appliesTo(kind)) {
                return e;
            }
        }
        return null;
    }
}
