package dev.switchboard.relay.sfu.dtls;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.AlertLevel;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

import java.io.IOException;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.Vector;

/**
 * The policy of one DTLS-SRTP handshake, as Bouncy Castle's server callbacks: DTLS 1.2 only, ECDHE with our ECDSA
 * certificate, a client certificate required and checked against the fingerprint of the client's SDP, and
 * {@code use_srtp} required, with our preferred profile among the client's. After the handshake it holds the
 * SRTP keying material (RFC 5764 §4.2). One instance per handshake (Bouncy Castle keeps per-connection state in
 * it); used by the handshake thread, its results read after it.
 */
final class SrtpDtlsServer extends DefaultTlsServer {

    /**
     * ECDHE with ECDSA only (our certificate is ECDSA): the AEAD suites browsers prefer, then the CBC ones older
     * stacks offer. No RSA key exchange, nothing without forward secrecy.
     */
    private static final int[] CIPHER_SUITES = {
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA};

    private final DtlsIdentity identity;
    private final Fingerprint expected;
    private final int handshakeTimeoutMillis;
    private SrtpProfileId profile;
    private volatile DtlsCloseReason refusal;
    private volatile SrtpKeyingMaterial keyingMaterial;
    private volatile boolean fatalAlertReceived;
    private volatile boolean closeNotifyReceived;

    SrtpDtlsServer(BcTlsCrypto crypto, DtlsIdentity identity, Fingerprint expected, int handshakeTimeoutMillis) {
        super(crypto);
        this.identity = identity;
        this.expected = expected;
        this.handshakeTimeoutMillis = handshakeTimeoutMillis;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return ProtocolVersion.DTLSv12.only();
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        return TlsUtils.getSupportedCipherSuites(getCrypto(), CIPHER_SUITES);
    }

    @Override
    public int getHandshakeTimeoutMillis() {
        return handshakeTimeoutMillis;
    }

    @Override
    protected TlsCredentialedSigner getECDSASignerCredentials() throws IOException {
        return identity.signer(context, (BcTlsCrypto) getCrypto());
    }

    @Override
    public void processClientExtensions(Hashtable clientExtensions) throws IOException {
        super.processClientExtensions(clientExtensions);
        UseSRTPData useSrtp = TlsSRTPUtils.getUseSRTPExtension(clientExtensions);
        profile = useSrtp == null ? null : SrtpProfileId.choose(useSrtp.getProtectionProfiles());
        if (profile == null) {
            // RFC 5764 lets a server go on without SRTP; for media that would be a call without keys.
            refusal = DtlsCloseReason.SRTP_REFUSED;
            throw new TlsFatalAlert(AlertDescription.handshake_failure,
                    useSrtp == null ? "client offers no use_srtp" : "no common SRTP protection profile");
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public Hashtable getServerExtensions() throws IOException {
        Hashtable extensions = super.getServerExtensions();
        // An empty MKI: we do not use MKIs (neither do browsers).
        TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(new int[] {profile.id()}, TlsUtils.EMPTY_BYTES));
        return extensions;
    }

    @Override
    public CertificateRequest getCertificateRequest() {
        // The client's certificate is how it proves it is the one whose SDP we have (RFC 8827 §6.5).
        Vector signatureAlgorithms = TlsUtils.getDefaultSupportedSignatureAlgorithms(context);
        return new CertificateRequest(new short[] {ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign},
                signatureAlgorithms, null);
    }

    @Override
    public void notifyClientCertificate(Certificate clientCertificate) throws IOException {
        if (clientCertificate == null || clientCertificate.isEmpty()) {
            refusal = DtlsCloseReason.FINGERPRINT_MISMATCH;
            throw new TlsFatalAlert(AlertDescription.handshake_failure, "client sent no certificate");
        }
        if (!expected.matches(clientCertificate.getCertificateAt(0).getEncoded())) {
            refusal = DtlsCloseReason.FINGERPRINT_MISMATCH;
            throw new TlsFatalAlert(AlertDescription.bad_certificate,
                    "client certificate does not match the fingerprint of its SDP");
        }
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        byte[] exported = context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null, profile.keyingMaterialLength());
        keyingMaterial = SrtpKeyingMaterial.split(profile, exported);
        Arrays.fill(exported, (byte) 0);
    }

    @Override
    public void notifyAlertReceived(short alertLevel, short alertDescription) {
        if (alertLevel == AlertLevel.fatal) {
            fatalAlertReceived = true;
        } else if (alertDescription == AlertDescription.close_notify) {
            closeNotifyReceived = true;
        }
    }

    /** Why we refused the client, or null if we did not. */
    DtlsCloseReason refusal() {
        return refusal;
    }

    /** Set once the handshake has completed. */
    SrtpKeyingMaterial keyingMaterial() {
        return keyingMaterial;
    }

    boolean fatalAlertReceived() {
        return fatalAlertReceived;
    }

    boolean closeNotifyReceived() {
        return closeNotifyReceived;
    }
}
