package dev.switchboard.relay.sfu.dtls;

/** Why a {@link DtlsSession} ended. */
public enum DtlsCloseReason {
    /** {@link DtlsSession#close()} was called (a close_notify went out if the handshake had finished). */
    CLOSED_LOCALLY,
    /** The peer sent close_notify. */
    PEER_CLOSED,
    /** The peer sent a fatal alert. */
    ALERT_RECEIVED,
    /** The client's certificate is missing or does not hash to the fingerprint of its SDP. */
    FINGERPRINT_MISMATCH,
    /** The client offered no use_srtp extension, or no profile we support. */
    SRTP_REFUSED,
    /** The handshake did not finish within the handshake timeout. */
    TIMEOUT,
    /** The handshake failed otherwise (protocol error, unsupported cipher suites or versions, transport closed). */
    HANDSHAKE_FAILED
}
