package dev.switchboard.relay.sfu.dtls;

import org.bouncycastle.tls.AlertLevel;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.DatagramTransport;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.Hashtable;

/**
 * A WebRTC-like DTLS 1.2 client made of Bouncy Castle's own client: offers use_srtp with the given profiles (none:
 * no extension), presents its certificate, checks the server's against the expected fingerprint, and exports the
 * SRTP keying material as RFC 5764 §4.2 says.
 */
public final class TestDtlsClient extends DefaultTlsClient {

    private final DtlsIdentity identity;
    private final Fingerprint serverFingerprint;
    private final int[] profiles;
    private final int timeoutMillis;
    private SrtpProfileId selected;
    public volatile SrtpKeyingMaterial keyingMaterial;
    volatile Short alertReceived;

    public TestDtlsClient(DtlsIdentity identity, Fingerprint serverFingerprint, int timeoutMillis, int... profiles) {
        super(new BcTlsCrypto(new SecureRandom()));
        this.identity = identity;
        this.serverFingerprint = serverFingerprint;
        this.timeoutMillis = timeoutMillis;
        this.profiles = profiles;
    }

    /** Runs the handshake over {@code transport}; blocks until it completes or fails. */
    public DTLSTransport connect(DatagramTransport transport) throws IOException {
        return new DTLSClientProtocol().connect(this, transport);
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return ProtocolVersion.DTLSv12.only();
    }

    @Override
    public int getHandshakeTimeoutMillis() {
        return timeoutMillis;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Hashtable getClientExtensions() throws IOException {
        Hashtable extensions = TlsExtensionsUtils.ensureExtensionsInitialised(super.getClientExtensions());
        if (profiles.length > 0) {
            TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(profiles, TlsUtils.EMPTY_BYTES));
        }
        return extensions;
    }

    @Override
    public void processServerExtensions(Hashtable serverExtensions) throws IOException {
        super.processServerExtensions(serverExtensions);
        UseSRTPData data = TlsSRTPUtils.getUseSRTPExtension(serverExtensions);
        selected = data == null || data.getProtectionProfiles().length != 1 ? null
                : SrtpProfileId.of(data.getProtectionProfiles()[0]);
    }

    @Override
    public TlsAuthentication getAuthentication() {
        return new TlsAuthentication() {
            @Override
            public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
                byte[] der = serverCertificate.getCertificate().getCertificateAt(0).getEncoded();
                if (!serverFingerprint.matches(der)) {
                    throw new TlsFatalAlert(AlertDescription.bad_certificate);
                }
            }

            @Override
            public TlsCredentials getClientCredentials(CertificateRequest certificateRequest) throws IOException {
                return identity == null ? null : identity.signer(context, (BcTlsCrypto) getCrypto());
            }
        };
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        if (selected != null) {
            keyingMaterial = SrtpKeyingMaterial.split(selected, context.exportKeyingMaterial(ExporterLabel.dtls_srtp,
                    null, selected.keyingMaterialLength()));
        }
    }

    @Override
    public void notifyAlertReceived(short alertLevel, short alertDescription) {
        if (alertLevel == AlertLevel.fatal) {
            alertReceived = alertDescription;
        }
    }
}
