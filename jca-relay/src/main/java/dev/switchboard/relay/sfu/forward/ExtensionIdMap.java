package dev.switchboard.relay.sfu.forward;

import dev.switchboard.relay.sfu.rtp.HeaderExtension;

import java.util.Map;

/**
 * How a publisher's header extension ids become a subscriber's (both from their SDPs' {@code a=extmap} lines, URI →
 * id): an extension both negotiated is renumbered to the subscriber's id; one the subscriber did not negotiate is
 * cleared to padding; mid, rid and repaired-rid are always cleared, because their values name the publisher's
 * section and layers, which mean nothing (or something else) in the subscriber's session. Also which subscriber
 * ids carry the values the SFU writes itself: transport-wide-cc (the subscriber transport's counter) and
 * abs-send-time (the SFU's send time). Immutable.
 */
public final class ExtensionIdMap {

    private final byte[] subscriberIdByPublisherId;
    private final int transportCcId;
    private final int absSendTimeId;

    private ExtensionIdMap(byte[] table, int transportCcId, int absSendTimeId) {
        this.subscriberIdByPublisherId = table;
        this.transportCcId = transportCcId;
        this.absSendTimeId = absSendTimeId;
    }

    /**
     * The map between two sessions' extensions.
     *
     * @param publisher  the publisher's negotiated extensions (URI → id, as its answer lists them)
     * @param subscriber the subscriber's negotiated extensions (URI → id)
     * @throws IllegalArgumentException for an id outside 1..255 or a subscriber id given to two URIs
     */
    public static ExtensionIdMap of(Map<String, Integer> publisher, Map<String, Integer> subscriber) {
        byte[] table = new byte[256];
        boolean[] used = new boolean[256];
        for (Map.Entry<String, Integer> s : subscriber.entrySet()) {
            int id = check(s.getValue());
            if (used[id]) {
                throw new IllegalArgumentException("subscriber extension id " + id + " is given twice");
            }
            used[id] = true;
        }
        for (Map.Entry<String, Integer> p : publisher.entrySet()) {
            int id = check(p.getValue());
            Integer to = subscriber.get(p.getKey());
            if (to != null && !publisherOnly(p.getKey())) {
                table[id] = (byte) (int) to;
            }
        }
        return new ExtensionIdMap(table, idOf(subscriber, HeaderExtension.TRANSPORT_CC),
                idOf(subscriber, HeaderExtension.ABS_SEND_TIME));
    }

    /** mid, rid and repaired-rid carry the publisher's names: not forwarded. */
    private static boolean publisherOnly(String uri) {
        return uri.equals(HeaderExtension.MID.uri()) || uri.equals(HeaderExtension.RID.uri())
                || uri.equals(HeaderExtension.REPAIRED_RID.uri());
    }

    private static int idOf(Map<String, Integer> ids, HeaderExtension kind) {
        Integer id = ids.get(kind.uri());
        return id == null ? 0 : id;
    }

    private static int check(Integer id) {
        if (id == null || id < 1 || id > 255) {
            throw new IllegalArgumentException("extension id " + id + " is outside 1..255");
        }
        return id;
    }

    /** The subscriber's id for the publisher's {@code publisherId}, or 0 (cleared). */
    public int subscriberId(int publisherId) {
        return publisherId < 1 || publisherId > 255 ? 0 : subscriberIdByPublisherId[publisherId] & 0xFF;
    }

    /** The subscriber's transport-wide-cc id, or 0 when it did not negotiate it. */
    public int transportCcId() {
        return transportCcId;
    }

    /** The subscriber's abs-send-time id, or 0. */
    public int absSendTimeId() {
        return absSendTimeId;
    }

    /** The table {@code RtpPacket.remapExtensions} takes; not to be written. */
    byte[] table() {
        return subscriberIdByPublisherId;
    }
}
