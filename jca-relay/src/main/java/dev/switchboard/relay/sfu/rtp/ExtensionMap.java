package dev.switchboard.relay.sfu.rtp;

import java.util.Arrays;

/**
 * The header extension ids one session negotiated ({@code a=extmap:<id> <uri>}, RFC 8285 §5), both ways: the id of
 * each {@link HeaderExtension}, and what an id on the wire is. Immutable, so the signaling thread builds it and
 * the event loop reads it without locks (publish it through a final or volatile field). URIs the SFU does not
 * understand are left out: their elements are forwarded or cleared as opaque bytes.
 */
public final class ExtensionMap {

    /** No negotiated id. */
    public static final int NONE = 0;
    // before EMPTY, which the builder makes from it
    private static final HeaderExtension[] KINDS = HeaderExtension.values();

    public static final ExtensionMap EMPTY = new Builder().build();

    private final int[] idByKind;
    private final byte[] kindById; // ordinal + 1, 0 for none

    private ExtensionMap(int[] idByKind, byte[] kindById) {
        this.idByKind = idByKind;
        this.kindById = kindById;
    }

    /** The negotiated id of {@code kind}, or {@link #NONE} (which no packet carries, so lookups by it find nothing). */
    public int id(HeaderExtension kind) {
        return idByKind[kind.ordinal()];
    }

    /** True when {@code kind} was negotiated. */
    public boolean has(HeaderExtension kind) {
        return idByKind[kind.ordinal()] != NONE;
    }

    /** What extension {@code id} is in this session, or null when it names nothing the SFU understands. */
    public HeaderExtension kind(int id) {
        if (id < 1 || id > RtpPacket.MAX_TWO_BYTE_ID) {
            return null;
        }
        int k = kindById[id];
        return k == 0 ? null : KINDS[k - 1];
    }

    /** True when every id fits the one-byte form (1..14), so a sender may use {@code 0xBEDE}. */
    public boolean fitsOneByteForm() {
        for (int id : idByKind) {
            if (id > RtpPacket.MAX_ONE_BYTE_ID) {
                return false;
            }
        }
        return true;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("ExtensionMap[");
        for (HeaderExtension kind : KINDS) {
            if (has(kind)) {
                s.append(' ').append(id(kind)).append('=').append(kind);
            }
        }
        return s.append(" ]").toString();
    }

    /** Collects the extmap lines of one session. Not thread-safe. */
    public static final class Builder {

        private final int[] idByKind = new int[KINDS.length];
        private final byte[] kindById = new byte[RtpPacket.MAX_TWO_BYTE_ID + 1];
        private final boolean[] taken = new boolean[RtpPacket.MAX_TWO_BYTE_ID + 1];

        private Builder() {
        }

        /**
         * Records {@code a=extmap:id uri}.
         *
         * @return true when the URI is one the SFU understands (and is now mapped), false when it is not (the id is
         *         still reserved, so it cannot be reused for a known one)
         * @throws IllegalArgumentException for an id outside 1..255 (RFC 8285 §5: 4095 and up are for negotiation
         *                                  only, 256..4094 never reach a packet), an id used twice, or a URI mapped
         *                                  twice: a session description like that is refused, not guessed at
         */
        public boolean add(int id, String uri) {
            if (id < 1 || id > RtpPacket.MAX_TWO_BYTE_ID) {
                throw new IllegalArgumentException("extmap id " + id + " is outside 1..255");
            }
            if (taken[id]) {
                throw new IllegalArgumentException("extmap id " + id + " is mapped twice");
            }
            HeaderExtension kind = HeaderExtension.ofUri(uri);
            taken[id] = true;
            if (kind == null) {
                return false;
            }
            if (idByKind[kind.ordinal()] != NONE) {
                throw new IllegalArgumentException("extmap " + uri + " is mapped twice");
            }
            idByKind[kind.ordinal()] = id;
            kindById[id] = (byte) (kind.ordinal() + 1);
            return true;
        }

        public ExtensionMap build() {
            return new ExtensionMap(idByKind.clone(), Arrays.copyOf(kindById, kindById.length));
        }
    }
}
