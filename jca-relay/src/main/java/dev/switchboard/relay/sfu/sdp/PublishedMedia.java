package dev.switchboard.relay.sfu.sdp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the forwarding plane needs to know of one track a publisher sends, read from its offer and the
 * {@link SfuAnswerer}'s answer to it: one per accepted audio/video section the publisher sends on (the answer
 * says recvonly).
 *
 * <ul>
 *   <li>{@code codecs}: the answer's, in its order (the server's preference), each with the publisher's payload
 *       type and RTX payload type (-1 without), and the fmtp the answer gave it.</li>
 *   <li>{@code extensions}: URI → the publisher's id, only those the answer kept.</li>
 *   <li>{@code rids}: the simulcast layers received, in the order the offer lists them ({@code a=simulcast}, else
 *       {@code a=rid}); empty without simulcast. An offer says nothing of the layers' sizes (the sender's
 *       {@code scaleResolutionDownBy} is not in SDP), so index 0 is only "listed first": Chromium and Firefox list
 *       them as the application gave its encodings, and the page (like most) gives them lowest first (q, h, f).
 *       Which rid a packet belongs to is read from its rid header extension.</li>
 *   <li>{@code msid}: the section's {@code a=msid}, else the one inside {@code a=ssrc:<n> msid:} (GStreamer), else
 *       null.</li>
 *   <li>{@code ssrcs}: the media SSRCs the offer announces ({@code a=ssrc}, RTX ones excluded), in order;
 *       {@code rtxSsrcs} media → RTX from {@code a=ssrc-group:FID}. Chromium announces none for simulcast, Firefox
 *       one per layer without saying which rid each is: the SFU learns SSRC → rid from the packets.</li>
 * </ul>
 */
public record PublishedMedia(String mid, String kind, List<Codec> codecs, Map<String, Integer> extensions,
                             List<String> rids, Msid msid, List<Long> ssrcs, Map<Long, Long> rtxSsrcs) {

    /** A negotiated codec: {@code channels} 0 when the rtpmap has none (video); {@code rtxPayloadType} -1 without RTX. */
    public record Codec(String name, int clockRate, int channels, String fmtp, int payloadType,
                        int rtxPayloadType) {

        /** The codec as an offer's lines would show it, for {@link CodecCapability#matches}. */
        RtpMap rtpMap() {
            return new RtpMap(payloadType, name, clockRate, channels);
        }

        Fmtp fmtpLine() {
            return fmtp.isEmpty() ? null : new Fmtp(payloadType, fmtp);
        }
    }

    public PublishedMedia {
        codecs = List.copyOf(codecs);
        extensions = Map.copyOf(extensions);
        rids = List.copyOf(rids);
        ssrcs = List.copyOf(ssrcs);
        rtxSsrcs = Map.copyOf(rtxSsrcs);
    }

    /**
     * The tracks of {@code offer}, as {@code answer} (the SFU's answer to it) accepted them.
     *
     * @throws IllegalArgumentException when {@code answer} does not answer {@code offer} (other sections)
     */
    public static List<PublishedMedia> of(SessionDescription offer, SessionDescription answer) {
        if (offer.media().size() != answer.media().size()) {
            throw new IllegalArgumentException("the answer has " + answer.media().size() + " sections, the offer "
                    + offer.media().size());
        }
        List<PublishedMedia> out = new ArrayList<>();
        for (int i = 0; i < offer.media().size(); i++) {
            MediaDescription o = offer.media().get(i);
            MediaDescription a = answer.media().get(i);
            if (!Objects.equals(a.mid(), o.mid()) || !a.type().equals(o.type())) {
                throw new IllegalArgumentException("answer section " + (i + 1) + " does not answer the offer's");
            }
            if (a.isRejected() || a.direction() != Direction.RECVONLY) {
                continue;
            }
            out.add(new PublishedMedia(a.mid(), a.type(), codecs(a), extensions(a), rids(a), msid(o), ssrcs(o),
                    rtxSsrcs(o)));
        }
        return out;
    }

    private static List<Codec> codecs(MediaDescription a) {
        List<Codec> codecs = new ArrayList<>();
        for (RtpMap map : a.rtpMaps()) {
            if (map.is(CodecCapability.RTX)) {
                continue;
            }
            int pt = map.payloadType();
            Fmtp fmtp = a.fmtp(pt);
            codecs.add(new Codec(map.encodingName(), map.clockRate(), map.channels(),
                    fmtp == null ? "" : fmtp.parameterText(), pt, AnswerRules.rtxFor(a, pt)));
        }
        return codecs;
    }

    private static Map<String, Integer> extensions(MediaDescription a) {
        Map<String, Integer> ids = new LinkedHashMap<>();
        for (Extmap e : a.extmaps()) {
            ids.put(e.uri(), e.id());
        }
        return ids;
    }

    private static List<String> rids(MediaDescription a) {
        if (a.simulcast() != null && !a.simulcast().recv().isEmpty()) {
            return Simulcast.rids(a.simulcast().recv());
        }
        return a.rids().stream().filter(r -> !r.send()).map(Rid::id).toList();
    }

    private static Msid msid(MediaDescription o) {
        if (!o.msids().isEmpty()) {
            return o.msids().get(0);
        }
        for (SsrcAttribute s : o.ssrcs()) {
            if (s.attribute().equals("msid") && s.value() != null) {
                String[] parts = s.value().trim().split(" +");
                if (!parts[0].isEmpty()) {
                    return new Msid(parts[0], parts.length > 1 ? parts[1] : null);
                }
            }
        }
        return null;
    }

    private static List<Long> ssrcs(MediaDescription o) {
        Map<Long, Long> rtx = rtxSsrcs(o);
        List<Long> ssrcs = new ArrayList<>();
        for (SsrcAttribute s : o.ssrcs()) {
            if (!ssrcs.contains(s.ssrc()) && !rtx.containsValue(s.ssrc())) {
                ssrcs.add(s.ssrc());
            }
        }
        return ssrcs;
    }

    private static Map<Long, Long> rtxSsrcs(MediaDescription o) {
        Map<Long, Long> rtx = new LinkedHashMap<>();
        for (SsrcGroup g : o.ssrcGroups()) {
            if (g.semantics().equals(SsrcGroup.FID) && g.ssrcs().size() == 2) {
                rtx.put(g.ssrcs().get(0), g.ssrcs().get(1));
            }
        }
        return rtx;
    }
}
