package dev.switchboard.relay.sfu.sdp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The SFU's answer to a WHEP viewer's offer (draft-ietf-wish-whep: the viewer POSTs an offer of recvonly sections,
 * the server answers sendonly), as a pure function. Session rules as {@link SfuAnswerer} (BUNDLE and rtcp-mux
 * required, ICE-lite, {@code a=setup:passive}, the tag section carries the candidates; {@link AnswerRules}).
 * Sections:
 * <ul>
 *   <li>Each receiving (recvonly or sendrecv) audio/video section gets the first unassigned track of its kind that
 *       has a codec in common with it, and is answered {@code a=sendonly} with the track's {@code a=msid}, its
 *       SSRC ({@code a=ssrc} cname and msid) and for video with RTX its RTX SSRC ({@code a=ssrc-group:FID}).</li>
 *   <li>Codecs: those the viewer offered and the publisher sends, matched through the server's codec
 *       ({@link CodecCapability#matches}: name, clock, channels; H.264 profile and packetization-mode), under
 *       the viewer's payload types, with the server's fmtp and the feedback both have; RTX (the viewer's RTX
 *       payload type) when the viewer offered it for that codec and the track has an RTX SSRC: the SFU
 *       retransmits from its own cache, whether or not the publisher sends RTX.</li>
 *   <li>Header extensions the server supports and the viewer offered (not {@code /sendonly} ones), under the
 *       viewer's ids, except rid and repaired-rid (the viewer gets one layer under the SFU's SSRC).</li>
 *   <li>A section for which no track is left, or no track has a codec in common, or that does not receive, is
 *       answered {@code a=inactive}, not rejected, so it stays bundled for a later renegotiation; it lists the
 *       codecs the server shares with it. A section with none of the server's codecs is rejected (port 0).</li>
 * </ul>
 * An offer none of whose audio/video sections receives is refused: that is a publisher's offer (WHIP).
 */
public final class ViewerAnswerer {

    /**
     * A track the room can send this viewer: its kind (audio/video), msid, the publisher's codecs
     * ({@link PublishedMedia#codecs()}), the SSRC and RTX SSRC (0: none) the SFU sends it to this viewer under, and
     * the cname of those SSRCs.
     */
    public record Track(String kind, String streamId, String trackId, List<PublishedMedia.Codec> codecs, long ssrc,
                        long rtxSsrc, String cname) {
        public Track {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(streamId, "streamId");
            Objects.requireNonNull(trackId, "trackId");
            Objects.requireNonNull(cname, "cname");
            codecs = List.copyOf(codecs);
        }
    }

    /** One codec forwarded to the viewer: the publisher's payload types and the viewer's (RTX -1 when none). */
    public record CodecMapping(int publisherPt, int viewerPt, int publisherRtxPt, int viewerRtxPt) {
    }

    /**
     * A section that got a track: the viewer's mid, the index of the track in the list given, the codecs, and the
     * viewer's header extension ids (URI → id) for the section.
     */
    public record Assignment(String mid, int trackIndex, List<CodecMapping> codecs, Map<String, Integer> extensions) {
        public Assignment {
            codecs = List.copyOf(codecs);
            extensions = Map.copyOf(extensions);
        }

        /** Publisher PT → viewer PT, and publisher RTX PT → viewer RTX PT where both exist. */
        public Map<Integer, Integer> payloadTypes() {
            Map<Integer, Integer> map = new LinkedHashMap<>();
            for (CodecMapping c : codecs) {
                map.put(c.publisherPt(), c.viewerPt());
                if (c.publisherRtxPt() >= 0 && c.viewerRtxPt() >= 0) {
                    map.put(c.publisherRtxPt(), c.viewerRtxPt());
                }
            }
            return map;
        }
    }

    /** The answer and, in the offer's section order, what each assigned section sends. */
    public record Result(SessionDescription answer, List<Assignment> assignments) {
        public Result {
            assignments = List.copyOf(assignments);
        }
    }

    private ViewerAnswerer() {
    }

    public static Result answer(SessionDescription offer, ServerCapabilities server, ServerTransport transport,
                                List<Track> tracks) throws SdpException {
        return answer(offer, server, transport, tracks, 1);
    }

    /** {@code version}: the o= line's session version, raised by one for each new answer in the session. */
    public static Result answer(SessionDescription offer, ServerCapabilities server, ServerTransport transport,
                                List<Track> tracks, long version) throws SdpException {
        boolean receives = false;
        for (MediaDescription m : offer.media()) {
            receives |= !m.isRejected() && m.effectiveDirection(offer).receives()
                    && (m.type().equals(MediaDescription.AUDIO) || m.type().equals(MediaDescription.VIDEO));
        }
        if (!offer.media().isEmpty() && !receives) {
            throw new SdpException(0, "no audio or video section of the offer receives; a viewer (WHEP) offers"
                    + " recvonly sections, a publisher sends with WHIP");
        }
        boolean[] assigned = new boolean[tracks.size()];
        List<Assignment> assignments = new ArrayList<>();
        SessionDescription answer = AnswerRules.answer(offer, transport, version, "WMS *",
                m -> section(offer, m, server, transport, tracks, assigned, assignments));
        return new Result(answer, assignments);
    }

    private static MediaDescription section(SessionDescription offer, MediaDescription m, ServerCapabilities server,
                                            ServerTransport transport, List<Track> tracks, boolean[] assigned,
                                            List<Assignment> assignments) {
        Map<CodecCapability, Integer> common = AnswerRules.offeredCodecs(m, server);
        if (common.isEmpty()) {
            return null;
        }
        int index = -1;
        List<CodecMapping> mappings = List.of();
        if (m.effectiveDirection(offer).receives()) {
            for (int i = 0; i < tracks.size() && index < 0; i++) {
                if (!assigned[i] && tracks.get(i).kind().equals(m.type())) {
                    mappings = mappings(tracks.get(i), common, m);
                    index = mappings.isEmpty() ? -1 : i;
                }
            }
        }
        MediaDescription.Builder b = AnswerRules.section(m, transport,
                index < 0 ? Direction.INACTIVE : Direction.SENDONLY);
        Map<String, Integer> extensions = new LinkedHashMap<>();
        for (Extmap e : m.extmaps()) {
            if (server.extension(e.uri(), m.type()) != null && SubscriberOfferBuilder.sentToSubscribers(e.uri())
                    && e.direction() != Direction.SENDONLY && e.direction() != Direction.INACTIVE) {
                b.extmap(new Extmap(e.id(), e.direction() == Direction.RECVONLY ? Direction.SENDONLY : null,
                        e.uri(), null));
                extensions.put(e.uri(), e.id());
            }
        }
        if (index < 0) {
            common.forEach((codec, pt) -> AnswerRules.codec(b, m, codec, pt, -1));
            return b.build();
        }
        assigned[index] = true;
        Track track = tracks.get(index);
        for (CodecMapping c : mappings) {
            for (Map.Entry<CodecCapability, Integer> e : common.entrySet()) {
                if (e.getValue() == c.viewerPt()) {
                    AnswerRules.codec(b, m, e.getKey(), c.viewerPt(), c.viewerRtxPt());
                }
            }
        }
        boolean rtx = mappings.stream().anyMatch(c -> c.viewerRtxPt() >= 0);
        SubscriberOfferBuilder.source(b, track.streamId(), track.trackId(), track.ssrc(), rtx ? track.rtxSsrc() : 0,
                track.cname());
        assignments.add(new Assignment(m.mid(), index, mappings, extensions));
        return b.build();
    }

    /** The codecs {@code track}'s publisher sends that the viewer offered ({@code common}), in the server's order. */
    private static List<CodecMapping> mappings(Track track, Map<CodecCapability, Integer> common, MediaDescription m) {
        List<CodecMapping> mappings = new ArrayList<>();
        for (Map.Entry<CodecCapability, Integer> e : common.entrySet()) {
            CodecCapability codec = e.getKey();
            for (PublishedMedia.Codec published : track.codecs()) {
                if (codec.matches(published.rtpMap(), published.fmtpLine())) {
                    int viewerPt = e.getValue();
                    int viewerRtx = codec.rtxPayloadType() > 0 && track.rtxSsrc() != 0
                            ? AnswerRules.rtxFor(m, viewerPt) : -1;
                    mappings.add(new CodecMapping(published.payloadType(), viewerPt, published.rtxPayloadType(),
                            viewerRtx));
                    break;
                }
            }
        }
        return mappings;
    }
}
