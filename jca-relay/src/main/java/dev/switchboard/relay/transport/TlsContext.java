package dev.switchboard.relay.transport;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What a TLS listener needs to serve (TURNS, RFC 8656 §3.1): the server's key material as an {@link SSLContext}, the
 * protocol versions offered, and how long a client may take to finish its handshake. Immutable; one context serves
 * every TLS listener on every loop. Where the key material comes from is the server's business, not the transport's.
 */
public final class TlsContext {

    /** TLS 1.3 first; 1.2 because coturn's tools and older SDKs still speak it. */
    public static final List<String> DEFAULT_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    /** The largest TLS record on the wire: header, 2^14 bytes of plaintext, 2048 of expansion (RFC 5246 §6.2.3). */
    static final int MAX_RECORD_LENGTH = 5 + 16_384 + 2_048;

    private final SSLContext sslContext;
    private final String[] protocols;
    private final Duration handshakeTimeout;
    private final int packetBufferSize;
    private final int applicationBufferSize;
    private final int recordOverhead;

    /**
     * @param sslContext       initialised with the server's key managers
     * @param protocols        protocol names as the JDK spells them (e.g. {@code TLSv1.3}); each must be supported
     * @param handshakeTimeout a connection that has not finished its handshake by then is closed
     * @throws IllegalArgumentException for an empty or unsupported protocol list or a non-positive timeout
     */
    public TlsContext(SSLContext sslContext, List<String> protocols, Duration handshakeTimeout) {
        this.sslContext = Objects.requireNonNull(sslContext, "sslContext");
        Objects.requireNonNull(protocols, "protocols");
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        if (protocols.isEmpty()) {
            throw new IllegalArgumentException("at least one TLS protocol version is required");
        }
        List<String> supported = Arrays.asList(sslContext.getSupportedSSLParameters().getProtocols());
        for (String protocol : protocols) {
            if (!supported.contains(protocol)) {
                throw new IllegalArgumentException("TLS protocol '" + protocol + "' is not supported here; supported: "
                        + supported);
            }
        }
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("TLS handshake timeout must be positive");
        }
        this.protocols = protocols.toArray(String[]::new);
        this.handshakeTimeout = handshakeTimeout;
        SSLSession prototype = newEngine().getSession();
        // The JDK's figures, but never less than the protocol's own limits, so no legal record can get stuck.
        this.packetBufferSize = Math.max(prototype.getPacketBufferSize(), MAX_RECORD_LENGTH);
        this.applicationBufferSize = Math.max(prototype.getApplicationBufferSize(), 16_384 + 1);
        // What the JDK's packet buffer holds beyond its application buffer: header, nonce, tag, padding.
        this.recordOverhead = Math.max(prototype.getPacketBufferSize() - prototype.getApplicationBufferSize(), 256);
    }

    public List<String> protocols() {
        return List.of(protocols);
    }

    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /** A server-side engine with the configured versions; no client certificates are asked for. */
    SSLEngine newEngine() {
        SSLEngine engine = sslContext.createSSLEngine();
        engine.setUseClientMode(false);
        engine.setEnabledProtocols(protocols);
        engine.setNeedClientAuth(false);
        engine.setWantClientAuth(false);
        return engine;
    }

    /** Room for one whole record as received. */
    int packetBufferSize() {
        return packetBufferSize;
    }

    /** Room for one record's plaintext. */
    int applicationBufferSize() {
        return applicationBufferSize;
    }

    /** An upper bound on the bytes one record adds to its plaintext. */
    int recordOverhead() {
        return recordOverhead;
    }

    /**
     * An upper bound on the ciphertext for {@code plaintext} bytes: one overhead per 2^14-byte record, plus one more
     * for a record the engine may put in front on its own (a TLS 1.3 KeyUpdate).
     */
    int maxCiphertext(int plaintext) {
        return plaintext + (plaintext / 16_384 + 2) * recordOverhead();
    }

    @Override
    public String toString() {
        return "TlsContext" + Arrays.toString(protocols);
    }
}
