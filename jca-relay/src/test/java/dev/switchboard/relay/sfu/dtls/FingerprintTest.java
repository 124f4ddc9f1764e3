package dev.switchboard.relay.sfu.dtls;

import org.junit.jupiter.api.Test;

import java.security.MessageDigest;
import java.security.SecureRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FingerprintTest {

    @Test
    void formatsAsSdpWritesIt() throws Exception {
        byte[] der = "not really a certificate".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] sha = MessageDigest.getInstance("SHA-256").digest(der);
        Fingerprint f = Fingerprint.of(der);

        assertArrayEquals(sha, f.bytes());
        assertTrue(f.sdpValue().matches("sha-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}"), f.sdpValue());
        assertEquals(String.format("%02X", sha[0] & 0xFF) + ":" + String.format("%02X", sha[1] & 0xFF),
                f.hex().substring(0, 5));
    }

    @Test
    void parsesWhatBrowsersSendInEitherCase() {
        // An arbitrary value in the form browsers write it (RFC 8122 §5).
        String chromium = "sha-256 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB:3E:21:B8:A3:C4:D5:"
                + "E6:F7:08:19:2A:3B";
        Fingerprint f = Fingerprint.parse(chromium);
        assertEquals(chromium, f.sdpValue());
        assertEquals(f, Fingerprint.parse(chromium.toLowerCase(java.util.Locale.ROOT)));
        assertEquals(f, Fingerprint.parse("SHA-256 " + f.hex()));
        assertEquals(f, Fingerprint.parse(f.hex()));
    }

    @Test
    void refusesOtherHashesAndMalformedValues() {
        String hex = Fingerprint.of(new byte[] {1}).hex();
        assertThrows(IllegalArgumentException.class, () -> Fingerprint.parse("sha-1 " + hex));
        assertThrows(IllegalArgumentException.class, () -> Fingerprint.parse(hex.substring(3)));
        assertThrows(IllegalArgumentException.class, () -> Fingerprint.parse(hex.replace(':', '-')));
        assertThrows(IllegalArgumentException.class, () -> Fingerprint.parse(hex.replaceFirst("[0-9A-F]", "G")));
        assertThrows(IllegalArgumentException.class, () -> Fingerprint.parse(""));
    }

    @Test
    void matchesOnlyItsCertificate() {
        DtlsIdentity a = DtlsIdentity.generate("a", new SecureRandom());
        DtlsIdentity b = DtlsIdentity.generate("b", new SecureRandom());

        assertTrue(a.fingerprint().matches(a.certificateDer()));
        assertFalse(a.fingerprint().matches(b.certificateDer()));
        assertEquals(a.fingerprint(), Fingerprint.parse(a.fingerprint().sdpValue()));
    }
}
