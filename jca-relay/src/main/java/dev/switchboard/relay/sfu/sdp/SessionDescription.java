package dev.switchboard.relay.sfu.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * A session description of the WebRTC subset (RFC 8866 syntax, JSEP RFC 8829 usage): the session-level lines and
 * attributes, then the media sections in order. {@code v=} is always 0. {@code timeLines} holds {@code t=},
 * {@code r=} and {@code z=} as written; {@code infoLines} the other optional lines ({@code i= u= e= p= k=}).
 * {@code msidSemantic} is the attribute's value as written (Chromium writes {@code " WMS <id>"}, with a space).
 * Parse one with {@link SdpParser}, write one with {@link SdpWriter}.
 */
public record SessionDescription(
        Origin origin, String sessionName, List<SdpLine> infoLines, Connection connection,
        List<Bandwidth> bandwidths, List<SdpLine> timeLines, List<Group> groups, boolean iceLite,
        TransportAttributes transport, Direction direction, String msidSemantic, boolean extmapAllowMixed,
        List<Attribute> otherAttributes, List<MediaDescription> media) {

    public SessionDescription {
        infoLines = List.copyOf(infoLines);
        bandwidths = List.copyOf(bandwidths);
        timeLines = List.copyOf(timeLines);
        groups = List.copyOf(groups);
        otherAttributes = List.copyOf(otherAttributes);
        media = List.copyOf(media);
    }

    /** The first {@code a=group:BUNDLE}, or null. */
    public Group bundleGroup() {
        for (Group g : groups) {
            if (g.semantics().equals(Group.BUNDLE)) {
                return g;
            }
        }
        return null;
    }

    /** The section with this mid, or null. */
    public MediaDescription media(String mid) {
        for (MediaDescription m : media) {
            if (mid.equals(m.mid())) {
                return m;
            }
        }
        return null;
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** A session with {@code o=- <sessionId> <version> IN IP4 0.0.0.0}, {@code s=-} and {@code t=0 0}, as JSEP writes. */
    public static Builder builder(long sessionId, long version) {
        return new Builder(new Origin("-", Long.toUnsignedString(sessionId), Long.toUnsignedString(version), "IN",
                "IP4", "0.0.0.0"), "-").timeLine(new SdpLine('t', "0 0"));
    }

    public static final class Builder {
        private Origin origin;
        private String sessionName;
        private final List<SdpLine> infoLines = new ArrayList<>();
        private Connection connection;
        private final List<Bandwidth> bandwidths = new ArrayList<>();
        private final List<SdpLine> timeLines = new ArrayList<>();
        private final List<Group> groups = new ArrayList<>();
        private boolean iceLite;
        private TransportAttributes transport = TransportAttributes.NONE;
        private Direction direction;
        private String msidSemantic;
        private boolean extmapAllowMixed;
        private final List<Attribute> otherAttributes = new ArrayList<>();
        private final List<MediaDescription> media = new ArrayList<>();

        Builder(Origin origin, String sessionName) {
            this.origin = origin;
            this.sessionName = sessionName;
        }

        Builder(SessionDescription s) {
            this(s.origin, s.sessionName);
            infoLines.addAll(s.infoLines);
            connection = s.connection;
            bandwidths.addAll(s.bandwidths);
            timeLines.addAll(s.timeLines);
            groups.addAll(s.groups);
            iceLite = s.iceLite;
            transport = s.transport;
            direction = s.direction;
            msidSemantic = s.msidSemantic;
            extmapAllowMixed = s.extmapAllowMixed;
            otherAttributes.addAll(s.otherAttributes);
            media.addAll(s.media);
        }

        public Builder origin(Origin origin) {
            this.origin = origin;
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

        public Builder timeLine(SdpLine line) {
            timeLines.add(line);
            return this;
        }

        public Builder group(Group group) {
            groups.add(group);
            return this;
        }

        public Builder iceLite(boolean iceLite) {
            this.iceLite = iceLite;
            return this;
        }

        public Builder transport(TransportAttributes transport) {
            this.transport = transport;
            return this;
        }

        public Builder direction(Direction direction) {
            this.direction = direction;
            return this;
        }

        public Builder msidSemantic(String msidSemantic) {
            this.msidSemantic = msidSemantic;
            return this;
        }

        public Builder extmapAllowMixed(boolean allow) {
            this.extmapAllowMixed = allow;
            return this;
        }

        public Builder otherAttribute(Attribute attribute) {
            otherAttributes.add(attribute);
            return this;
        }

        public Builder media(MediaDescription m) {
            media.add(m);
            return this;
        }

        public Builder clearMedia() {
            media.clear();
            return this;
        }

        // For the parser's once-only checks.
        Connection connection() {
            return connection;
        }

        Direction direction() {
            return direction;
        }

        String msidSemantic() {
            return msidSemantic;
        }

        boolean iceLite() {
            return iceLite;
        }

        boolean extmapAllowMixed() {
            return extmapAllowMixed;
        }

        TransportAttributes transport() {
            return transport;
        }

        int mediaCount() {
            return media.size();
        }

        boolean hasTime() {
            return !timeLines.isEmpty();
        }

        public SessionDescription build() {
            return new SessionDescription(origin, sessionName, infoLines, connection, bandwidths, timeLines, groups,
                    iceLite, transport, direction, msidSemantic, extmapAllowMixed, otherAttributes, media);
        }
    }
}
