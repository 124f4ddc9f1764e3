package dev.switchboard.relay.sfu.dtls;

import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.cert.bc.BcX509v3CertificateBuilder;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.operator.DefaultDigestAlgorithmIdentifierFinder;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.bc.BcECContentSignerBuilder;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * A self-signed ECDSA P-256 certificate and its key, made at start: WebRTC authenticates DTLS by the certificate's
 * fingerprint in the SDP, not by a CA, so nothing is stored or configured. Browsers use the same kind (ECDSA P-256
 * is what Chromium and Firefox generate), and its handshake signatures are cheap.
 *
 * <p>Built with Bouncy Castle's lightweight API: no JCA provider is registered in the server's JVM.
 */
public final class DtlsIdentity {

    /** Validity of a generated certificate; peers check the fingerprint, not the dates, but keep it plausible. */
    public static final Duration VALIDITY = Duration.ofDays(30);
    private static final SignatureAndHashAlgorithm ECDSA_SHA256 =
            SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa);

    private final ECPrivateKeyParameters privateKey;
    private final byte[] certificateDer;
    private final Fingerprint fingerprint;

    private DtlsIdentity(ECPrivateKeyParameters privateKey, byte[] certificateDer) {
        this.privateKey = privateKey;
        this.certificateDer = certificateDer;
        this.fingerprint = Fingerprint.of(certificateDer);
    }

    /** The subject of the server's certificate. */
    public static final String COMMON_NAME = "switchboard";

    /** The server's identity for this run: {@link #generate(String, SecureRandom)} with CN {@value #COMMON_NAME}. */
    public static DtlsIdentity generate(SecureRandom random) {
        return generate(COMMON_NAME, random);
    }

    /** A fresh key pair and certificate (CN {@code commonName}, random serial, valid from a day ago for 30 days). */
    public static DtlsIdentity generate(String commonName, SecureRandom random) {
        X9ECParameters curve = CustomNamedCurves.getByOID(SECObjectIdentifiers.secp256r1);
        ECKeyPairGenerator generator = new ECKeyPairGenerator();
        generator.init(new ECKeyGenerationParameters(
                new ECNamedDomainParameters(SECObjectIdentifiers.secp256r1, curve), random));
        AsymmetricCipherKeyPair pair = generator.generateKeyPair();
        X500Name name = new X500Name("CN=" + commonName);
        // Back-dated a day so a peer whose clock is behind ours does not see a certificate from the future.
        Instant now = Instant.now();
        BigInteger serial = new BigInteger(64, random).setBit(62);
        try {
            BcX509v3CertificateBuilder builder = new BcX509v3CertificateBuilder(name, serial,
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(VALIDITY)), name, pair.getPublic());
            AlgorithmIdentifier signature = new DefaultSignatureAlgorithmIdentifierFinder().find("SHA256withECDSA");
            AlgorithmIdentifier digest = new DefaultDigestAlgorithmIdentifierFinder().find(signature);
            byte[] der = builder.build(new BcECContentSignerBuilder(signature, digest).build(pair.getPrivate()))
                    .getEncoded();
            return new DtlsIdentity((ECPrivateKeyParameters) pair.getPrivate(), der);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("ECDSA signer unavailable", e);
        }
    }

    /** What goes into SDP's {@code a=fingerprint:}. */
    public Fingerprint fingerprint() {
        return fingerprint;
    }

    public byte[] certificateDer() {
        return certificateDer.clone();
    }

    /** The certificate chain (of one) for a handshake on {@code crypto}. */
    Certificate certificate(BcTlsCrypto crypto) throws IOException {
        return new Certificate(new TlsCertificate[] {crypto.createCertificate(certificateDer)});
    }

    /** Signing credentials (ECDSA with SHA-256) for one handshake's context. */
    BcDefaultTlsCredentialedSigner signer(TlsContext context, BcTlsCrypto crypto) throws IOException {
        return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto, privateKey,
                certificate(crypto), ECDSA_SHA256);
    }
}
