package dev.switchboard.relay.sfu.dtls;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The generated certificate, read back with the JDK's own X.509 parser (no Bouncy Castle provider involved). */
class DtlsIdentityTest {

    @Test
    void aSelfSignedEcdsaP256CertificateValidForThirtyDays() throws Exception {
        DtlsIdentity identity = DtlsIdentity.generate(new SecureRandom());
        X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(identity.certificateDer()));

        assertEquals("CN=switchboard", cert.getSubjectX500Principal().getName());
        assertEquals(cert.getSubjectX500Principal(), cert.getIssuerX500Principal());
        cert.verify(cert.getPublicKey()); // self-signed: its own key verifies it
        assertEquals("SHA256withECDSA", cert.getSigAlgName());
        assertEquals(256, ((ECPublicKey) cert.getPublicKey()).getParams().getCurve().getField().getFieldSize());
        cert.checkValidity();
        Duration validity = Duration.between(cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant());
        assertEquals(DtlsIdentity.VALIDITY.plusDays(1).toHours(), validity.toHours(), 1);
        assertTrue(cert.getNotAfter().toInstant().isAfter(Instant.now().plus(Duration.ofDays(29))));
        assertTrue(cert.getSerialNumber().signum() > 0);
    }

    @Test
    void eachGenerationIsAFreshKeyAndSerial() throws Exception {
        SecureRandom random = new SecureRandom();
        DtlsIdentity a = DtlsIdentity.generate("switchboard", random);
        DtlsIdentity b = DtlsIdentity.generate("switchboard", random);
        CertificateFactory x509 = CertificateFactory.getInstance("X.509");
        X509Certificate ca = (X509Certificate) x509.generateCertificate(new ByteArrayInputStream(a.certificateDer()));
        X509Certificate cb = (X509Certificate) x509.generateCertificate(new ByteArrayInputStream(b.certificateDer()));

        assertNotEquals(a.fingerprint(), b.fingerprint());
        assertNotEquals(ca.getSerialNumber(), cb.getSerialNumber());
        assertNotEquals(ca.getPublicKey(), cb.getPublicKey());
    }
}
