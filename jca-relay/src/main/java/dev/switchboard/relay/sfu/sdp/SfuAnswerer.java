package dev.switchboard.relay.sfu.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The SFU's answer to a publisher's offer (JSEP RFC 8829 §5.3), as a pure function. The server receives only:
 * each accepted section is recvonly (inactive when the offer does not send). Rules:
 * <ul>
 *   <li>The offer must BUNDLE (RFC 8843) and each audio/video section it bundles must have {@code a=rtcp-mux}
 *       (RFC 5761): the SFU has one transport per peer and no RTCP port; otherwise {@link SdpException}.</li>
 *   <li>Sections are answered in order with the offer's mids. Rejected (port 0, RFC 3264 §6): data channels
 *       (no SCTP in the SFU yet), sections of other protocols than {@code UDP/TLS/RTP/SAVPF}, sections outside the
 *       BUNDLE group, sections whose codecs the server does not have, sections the offer already rejected.</li>
 *   <li>Codecs: those of {@link ServerCapabilities} that the offer has (see {@link CodecCapability#matches}),
 *       in the server's order, each with the offer's payload type, its RTX if offered, the feedback both
 *       have, the server's fmtp.</li>
 *   <li>Header extensions the server reads keep the offer's ids; simulcast rids the offer sends are received as
 *       listed (same ids, alternatives and paused flags), minus those whose payload types were all refused.</li>
 *   <li>Session: {@code a=ice-lite}, BUNDLE of the accepted mids in the offer's group order (the first accepted
 *       is the tag: it carries the port, the candidates and {@code a=end-of-candidates}; the others port 9), ICE
 *       credentials and fingerprint in every accepted section, {@code a=setup:passive} (the SFU is the DTLS
 *       server, RFC 8842).</li>
 * </ul>
 */
public final class SfuAnswerer {

    static final String RTP_PROTO = AnswerRules.RTP_PROTO;

    private SfuAnswerer() {
    }

    public static SessionDescription answer(SessionDescription offer, ServerCapabilities server,
                                            ServerTransport transport) throws SdpException {
        return answer(offer, server, transport, 1);
    }

    /** {@code version}: the o= line's session version, raised by one for each new answer in the session. */
    public static SessionDescription answer(SessionDescription offer, ServerCapabilities server,
                                            ServerTransport transport, long version) throws SdpException {
        return AnswerRules.answer(offer, transport, version, null, m -> answerMedia(offer, m, server, transport));
    }

    /** The answer to an acceptable section, or null when no codec matches. */
    private static MediaDescription answerMedia(SessionDescription offer, MediaDescription m,
                                                ServerCapabilities server, ServerTransport transport) {
        Map<CodecCapability, Integer> chosen = AnswerRules.offeredCodecs(m, server);
        if (chosen.isEmpty()) {
            return null;
        }
        Direction offered = m.effectiveDirection(offer);
        MediaDescription.Builder b = AnswerRules.section(m, transport,
                offered.sends() ? Direction.RECVONLY : Direction.INACTIVE);
        for (Extmap e : m.extmaps()) {
            if (server.extension(e.uri(), m.type()) != null
                    && (e.direction() == null || e.direction() == Direction.SENDRECV
                    || e.direction() == Direction.SENDONLY)) {
                b.extmap(new Extmap(e.id(), e.direction() == Direction.SENDONLY ? Direction.RECVONLY : null,
                        e.uri(), null));
            }
        }
        List<Integer> kept = new ArrayList<>();
        for (Map.Entry<CodecCapability, Integer> c : chosen.entrySet()) {
            CodecCapability codec = c.getKey();
            int pt = c.getValue();
            int rtx = codec.rtxPayloadType() > 0 ? AnswerRules.rtxFor(m, pt) : -1;
            AnswerRules.codec(b, m, codec, pt, rtx);
            kept.add(pt);
            if (rtx >= 0) {
                kept.add(rtx);
            }
        }
        if (offered.sends()) {
            receiveSimulcast(m, kept, b);
        }
        return b.build();
    }

    /** Offered send rids become recv rids (RFC 8851 §4), their simulcast list a recv list (RFC 8853 §5.3). */
    private static void receiveSimulcast(MediaDescription m, List<Integer> kept, MediaDescription.Builder b) {
        List<String> rids = new ArrayList<>();
        for (Rid r : m.rids()) {
            if (!r.send()) {
                continue;
            }
            List<Integer> pts = r.payloadTypes().stream().filter(kept::contains).toList();
            if (!r.payloadTypes().isEmpty() && pts.isEmpty()) {
                continue; // RFC 8851 §4.2: a rid whose formats were all refused is removed
            }
            b.rid(new Rid(r.id(), false, pts, r.restrictions()));
            rids.add(r.id());
        }
        if (m.simulcast() == null || m.simulcast().send().isEmpty()) {
            return;
        }
        List<List<Simulcast.Alternative>> streams = new ArrayList<>();
        for (List<Simulcast.Alternative> stream : m.simulcast().send()) {
            List<Simulcast.Alternative> alternatives = stream.stream().filter(a -> rids.contains(a.rid())).toList();
            if (!alternatives.isEmpty()) {
                streams.add(alternatives);
            }
        }
        if (!streams.isEmpty()) {
            b.simulcast(new Simulcast(List.of(), streams));
        }
    }
}
