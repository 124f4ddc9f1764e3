package dev.switchboard.relay.sfu.sdp;

/** The media direction attributes (RFC 8866 §6.7), also used as an {@code a=extmap} direction (RFC 8285). */
public enum Direction {
    SENDRECV("sendrecv"), SENDONLY("sendonly"), RECVONLY("recvonly"), INACTIVE("inactive");

    private final String sdp;

    Direction(String sdp) {
        this.sdp = sdp;
    }

    public String sdp() {
        return sdp;
    }

    /** The direction seen from the other side: sendonly answers recvonly. */
    public Direction reversed() {
        return this == SENDONLY ? RECVONLY : this == RECVONLY ? SENDONLY : this;
    }

    public boolean sends() {
        return this == SENDRECV || this == SENDONLY;
    }

    public boolean receives() {
        return this == SENDRECV || this == RECVONLY;
    }

    /** The direction named {@code s}, or null (a switch: this runs for every attribute line). */
    static Direction of(String s) {
        switch (s) {
            case "sendrecv":
                return SENDRECV;
            case "sendonly":
                return SENDONLY;
            case "recvonly":
                return RECVONLY;
            case "inactive":
                return INACTIVE;
            default:
                return null;
        }
    }
}
