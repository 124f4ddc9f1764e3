package dev.switchboard.relay.sfu.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * One media section ({@code m=} and what follows it) of the WebRTC subset. Attributes the model does not
 * interpret are kept in {@link #otherAttributes} in their order. Absent single values are null (or false, or an
 * empty list); {@code portCount} is 0 when the {@code m=} line has none.
 */
public record MediaDescription(
        String type, int port, int portCount, String proto, List<String> formats,
        List<SdpLine> infoLines, Connection connection, List<Bandwidth> bandwidths,
        TransportAttributes transport, String mid, boolean bundleOnly, Direction direction,
        List<Extmap> extmaps, boolean extmapAllowMixed, List<Msid> msids, boolean rtcpMux, boolean rtcpRsize,
        List<RtpMap> rtpMaps, List<RtcpFb> rtcpFbs, List<Fmtp> fmtps,
        List<Rid> rids, Simulcast simulcast, List<SsrcAttribute> ssrcs, List<SsrcGroup> ssrcGroups,
        Integer sctpPort, Long maxMessageSize, List<Candidate> candidates, boolean endOfCandidates,
        List<Attribute> otherAttributes) {

    public static final String AUDIO = "audio";
    public static final String VIDEO = "video";
    public static final String APPLICATION = "application";

    public MediaDescription {
        formats = List.copyOf(formats);
        infoLines = List.copyOf(infoLines);
        bandwidths = List.copyOf(bandwidths);
        extmaps = List.copyOf(extmaps);
        msids = List.copyOf(msids);
        rtpMaps = List.copyOf(rtpMaps);
        rtcpFbs = List.copyOf(rtcpFbs);
        fmtps = List.copyOf(fmtps);
        rids = List.copyOf(rids);
        ssrcs = List.copyOf(ssrcs);
        ssrcGroups = List.copyOf(ssrcGroups);
        candidates = List.copyOf(candidates);
        otherAttributes = List.copyOf(otherAttributes);
    }

    /** The direction in force: the section's own, else the session's, else sendrecv (RFC 8866 §6.7). */
    public Direction effectiveDirection(SessionDescription session) {
        return direction != null ? direction : session.direction() != null ? session.direction() : Direction.SENDRECV;
    }

    /** A section with port 0 and no {@code a=bundle-only} is rejected or stopped (JSEP RFC 8829 §5.2.2). */
    public boolean isRejected() {
        return port == 0 && !bundleOnly;
    }

    /** The rtpmap of {@code pt}, or null (static payload types may have none). */
    public RtpMap rtpMap(int pt) {
        for (RtpMap m : rtpMaps) {
            if (m.payloadType() == pt) {
                return m;
            }
        }
        return null;
    }

    /** The fmtp of {@code pt}, or null. */
    public Fmtp fmtp(int pt) {
        for (Fmtp f : fmtps) {
            if (f.payloadType() == pt) {
                return f;
            }
        }
        return null;
    }

    /** The rtcp-fb lines that apply to {@code pt} (its own and {@code *}). */
    public List<RtcpFb> rtcpFbs(int pt) {
        List<RtcpFb> out = new ArrayList<>();
        for (RtcpFb f : rtcpFbs) {
            if (f.appliesTo(pt)) {
                out.add(f);
            }
        }
        return out;
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public static Builder builder(String type, int port, String proto) {
        return new Builder(type, port, proto);
    }

    /** Assembles a section; lists are appended to, single values replaced. */
    public static final class Builder {
        private final String type;
        private int port;
        private int portCount;
        private final String proto;
        private final List<String> formats = new ArrayList<>();
        private final List<SdpLine> infoLines = new ArrayList<>();
        private Connection connection;
        private final List<Bandwidth> bandwidths = new ArrayList<>();
        private TransportAttributes transport = TransportAttributes.NONE;
        private String mid;
        private boolean bundleOnly;
        private Direction direction;
        private final List<Extmap> extmaps = new ArrayList<>();
        private boolean extmapAllowMixed;
        private final List<Msid> msids = new ArrayList<>();
        private boolean rtcpMux;
        private boolean rtcpRsize;
        private final List<RtpMap> rtpMaps = new ArrayList<>();
        private final List<RtcpFb> rtcpFbs = new ArrayList<>();
        private final List<Fmtp> fmtps = new ArrayList<>();
        private final List<Rid> rids = new ArrayList<>();
        private Simulcast simulcast;
        private final List<SsrcAttribute> ssrcs = new ArrayList<>();
        private final List<SsrcGroup> ssrcGroups = new ArrayList<>();
        private Integer sctpPort;
        private Long maxMessageSize;
        private final List<Candidate> candidates = new ArrayList<>();
        private boolean endOfCandidates;
        private final List<Attribute> otherAttributes = new ArrayList<>();

        Builder(String type, int port, String proto) {
            this.type = type;
            this.port = port;
            this.proto = proto;
        }

        Builder(MediaDescription m) {
            this(m.type, m.port, m.proto);
            portCount = m.portCount;
            formats.addAll(m.formats);
            infoLines.addAll(m.infoLines);
            connection = m.connection;
            bandwidths.addAll(m.bandwidths);
            transport = m.transport;
            mid = m.mid;
            bundleOnly = m.bundleOnly;
            direction = m.direction;
            extmaps.addAll(m.extmaps);
            extmapAllowMixed = m.extmapAllowMixed;
            msids.addAll(m.msids);
            rtcpMux = m.rtcpMux;
            rtcpRsize = m.rtcpRsize;
            rtpMaps.addAll(m.rtpMaps);
            rtcpFbs.addAll(m.rtcpFbs);
            fmtps.addAll(m.fmtps);
            rids.addAll(m.rids);
            simulcast = m.simulcast;
            ssrcs.addAll(m.ssrcs);
            ssrcGroups.addAll(m.ssrcGroups);
            sctpPort = m.sctpPort;
            maxMessageSize = m.maxMessageSize;
            candidates.addAll(m.candidates);
            endOfCandidates = m.endOfCandidates;
            otherAttributes.addAll(m.otherAttributes);
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder portCount(int portCount) {
            this.portCount = portCount;
            return this;
        }

        public Builder format(String format) {
            formats.add(format);
            return this;
        }

        public Builder infoLine(SdpLine line) {
            infoLines.add(line);
            return this;
        }

        public Builder connection(Connection connection) {
            this.connection = connection;
            return this;
        }

        public Builder bandwidth(Bandwidth bandwidth) {
            bandwidths.add(bandwidth);
            return this;
        }

        public Builder transport(TransportAttributes transport) {
            this.transport = transport;
            return this;
        }

        public Builder mid(String mid) {
            this.mid = mid;
            return this;
        }

        public Builder bundleOnly(boolean bundleOnly) {
            this.bundleOnly = bundleOnly;
            return this;
        }

        public Builder direction(Direction direction) {
            this.direction = direction;
            return this;
        }

        public Builder extmap(Extmap extmap) {
            extmaps.add(extmap);
            return this;
        }

        public Builder extmapAllowMixed(boolean allow) {
            this.extmapAllowMixed = allow;
            return this;
        }

        public Builder msid(Msid msid) {
            msids.add(msid);
            return this;
        }

        public Builder rtcpMux(boolean rtcpMux) {
            this.rtcpMux = rtcpMux;
            return this;
        }

        public Builder rtcpRsize(boolean rtcpRsize) {
            this.rtcpRsize = rtcpRsize;
            return this;
        }

        public Builder rtpMap(RtpMap rtpMap) {
            rtpMaps.add(rtpMap);
            return this;
        }

        public Builder rtcpFb(RtcpFb rtcpFb) {
            rtcpFbs.add(rtcpFb);
            return this;
        }

        public Builder fmtp(Fmtp fmtp) {
            fmtps.add(fmtp);
            return this;
        }

        public Builder rid(Rid rid) {
            rids.add(rid);
            return this;
        }

        public Builder simulcast(Simulcast simulcast) {
            this.simulcast = simulcast;
            return this;
        }

        public Builder ssrc(SsrcAttribute ssrc) {
            ssrcs.add(ssrc);
            return this;
        }

        public Builder ssrcGroup(SsrcGroup group) {
            ssrcGroups.add(group);
            return this;
        }

        public Builder sctpPort(Integer sctpPort) {
            this.sctpPort = sctpPort;
            return this;
        }

        public Builder maxMessageSize(Long maxMessageSize) {
            this.maxMessageSize = maxMessageSize;
            return this;
        }

        public Builder candidate(Candidate candidate) {
            candidates.add(candidate);
            return this;
        }

        public Builder endOfCandidates(boolean end) {
            this.endOfCandidates = end;
            return this;
        }

        public Builder otherAttribute(Attribute attribute) {
            otherAttributes.add(attribute);
            return this;
        }

        // For the parser, which checks that single-valued attributes appear once.
        String mid() {
            return mid;
        }

        Direction direction() {
            return direction;
        }

        Simulcast simulcast() {
            return simulcast;
        }

        Integer sctpPort() {
            return sctpPort;
        }

        Long maxMessageSize() {
            return maxMessageSize;
        }

        Connection connection() {
            return connection;
        }

        TransportAttributes transport() {
            return transport;
        }

        boolean flag(String name) {
            switch (name) {
                case "rtcp-mux":
                    return rtcpMux;
                case "rtcp-rsize":
                    return rtcpRsize;
                case "bundle-only":
                    return bundleOnly;
                case "extmap-allow-mixed":
                    return extmapAllowMixed;
                default:
                    return endOfCandidates;
            }
        }

        public MediaDescription build() {
            return new MediaDescription(type, port, portCount, proto, formats, infoLines, connection, bandwidths,
                    transport, mid, bundleOnly, direction, extmaps, extmapAllowMixed, msids, rtcpMux, rtcpRsize,
                    rtpMaps, rtcpFbs, fmtps, rids, simulcast, ssrcs, ssrcGroups, sctpPort, maxMessageSize, candidates,
                    endOfCandidates, otherAttributes);
        }
    }
}
