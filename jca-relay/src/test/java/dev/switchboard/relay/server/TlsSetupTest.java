package dev.switchboard.relay.server;

import dev.switchboard.relay.TestTls;
import dev.switchboard.relay.config.RelaySettings;
import dev.switchboard.relay.transport.TlsContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStoreException;
import java.security.cert.CertificateException;
import java.security.spec.InvalidKeySpecException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Key material from PEM files and key stores, and the errors an operator gets for the usual mistakes. */
class TlsSetupTest {

    @TempDir
    Path dir;

    @Test
    void pemEcRsaAndAChainLoad() throws Exception {
        TlsSetup.Loaded ec = TlsSetup.load(TestTls.pemSettings("ec", List.of(5349), Duration.ofSeconds(10)));
        assertEquals("EC", ec.chain().get(0).getPublicKey().getAlgorithm());
        assertEquals(1, ec.chain().size());
        TlsSetup.Loaded rsa = TlsSetup.load(TestTls.pemSettings("rsa", List.of(5349), Duration.ofSeconds(10)));
        assertEquals("RSA", rsa.chain().get(0).getPublicKey().getAlgorithm());
        TlsSetup.Loaded chain = TlsSetup.load(TestTls.pemSettings("chain", List.of(5349), Duration.ofSeconds(10)));
        assertEquals(2, chain.chain().size(), "leaf and CA, in the file's order");
        assertEquals("CN=localhost", chain.chain().get(0).getSubjectX500Principal().getName());
        assertEquals("CN=Switchboard Test CA", chain.chain().get(1).getSubjectX500Principal().getName());
        assertEquals(TlsContext.DEFAULT_PROTOCOLS, chain.context().protocols());
        assertTrue(chain.description().contains("CN=localhost"), chain.description());
    }

    @Test
    void relativePemPathsAreResolvedAgainstTheBaseDirectory() throws Exception {
        Files.copy(TestTls.resource("ec-cert.pem"), dir.resolve("cert.pem"));
        Files.copy(TestTls.resource("ec-key.pem"), dir.resolve("key.pem"));
        TlsSettings settings = new TlsSettings(List.of(5349), "", "", "", "", "cert.pem", "key.pem",
                TlsContext.DEFAULT_PROTOCOLS, Duration.ofSeconds(10), dir);
        assertNotNull(TlsSetup.load(settings));
    }

    @Test
    void aKeyThatIsNotTheCertificatesIsRefused() throws Exception {
        TlsSettings crossed = pem(TestTls.resource("ec-cert.pem"), TestTls.resource("chain-key.pem"));
        GeneralSecurityException e = assertThrows(GeneralSecurityException.class, () -> TlsSetup.load(crossed));
        assertTrue(e.getMessage().contains("does not belong"), e.getMessage());
        TlsSettings otherType = pem(TestTls.resource("ec-cert.pem"), TestTls.resource("rsa-key.pem"));
        e = assertThrows(GeneralSecurityException.class, () -> TlsSetup.load(otherType));
        assertTrue(e.getMessage().contains("RSA"), e.getMessage());
    }

    @Test
    void legacyEncryptedAndMissingKeysAreRefusedWithTheWayOut() throws Exception {
        Path pkcs1 = write("pkcs1.pem", "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
        InvalidKeySpecException e = assertThrows(InvalidKeySpecException.class,
                () -> TlsSetup.load(pem(TestTls.resource("rsa-cert.pem"), pkcs1)));
        assertTrue(e.getMessage().contains("openssl pkcs8 -topk8 -nocrypt"), e.getMessage());
        Path encrypted = write("enc.pem", "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n");
        e = assertThrows(InvalidKeySpecException.class, () -> TlsSetup.load(pem(TestTls.resource("rsa-cert.pem"), encrypted)));
        assertTrue(e.getMessage().contains("encrypted"), e.getMessage());
        // a certificate file given as the key
        e = assertThrows(InvalidKeySpecException.class,
                () -> TlsSetup.load(pem(TestTls.resource("ec-cert.pem"), TestTls.resource("ec-cert.pem"))));
        assertTrue(e.getMessage().contains("no PEM private key"), e.getMessage());
        // and the key given as the certificate
        CertificateException c = assertThrows(CertificateException.class,
                () -> TlsSetup.load(pem(TestTls.resource("ec-key.pem"), TestTls.resource("ec-key.pem"))));
        assertTrue(c.getMessage().contains("no PEM certificate"), c.getMessage());
        assertThrows(IOException.class, () -> TlsSetup.load(pem(dir.resolve("nope.pem"), TestTls.resource("ec-key.pem"))));
    }

    @Test
    void certificateAndKeyGoTogether() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TlsSettings(List.of(5349),
                "", "", "", "", "cert.pem", "", TlsContext.DEFAULT_PROTOCOLS, Duration.ofSeconds(1), null));
        assertTrue(e.getMessage().contains("switchboard.tls.private-key"), e.getMessage());
    }

    @Test
    void aKeytoolPkcs12LoadsByItsOnlyKeyOrByAlias() throws Exception {
        Path store = dir.resolve("switchboard-tls.p12");
        keytool("-genkeypair", "-alias", "relay", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=relay.test",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "s3cret");
        TlsSetup.Loaded loaded = TlsSetup.load(keyStore("switchboard-tls.p12", "s3cret", ""));
        assertEquals("CN=relay.test", loaded.chain().get(0).getSubjectX500Principal().getName());

        keytool("-genkeypair", "-alias", "other", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=other.test",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "s3cret");
        KeyStoreException several = assertThrows(KeyStoreException.class,
                () -> TlsSetup.load(keyStore("switchboard-tls.p12", "s3cret", "")));
        assertTrue(several.getMessage().contains("switchboard.tls.key-store-alias"), several.getMessage());
        assertEquals("CN=other.test", TlsSetup.load(keyStore("switchboard-tls.p12", "s3cret", "other")).chain().get(0)
                .getSubjectX500Principal().getName());
        KeyStoreException unknown = assertThrows(KeyStoreException.class,
                () -> TlsSetup.load(keyStore("switchboard-tls.p12", "s3cret", "nobody")));
        assertTrue(unknown.getMessage().contains("[") && unknown.getMessage().contains("relay"), unknown.getMessage());

        IOException wrong = assertThrows(IOException.class,
                () -> TlsSetup.load(keyStore("switchboard-tls.p12", "wrong", "relay")));
        assertTrue(wrong.getMessage().contains("switchboard.tls.key-store-password"), wrong.getMessage());
    }

    @Test
    void aStoreWithoutKeysIsRefused() throws Exception {
        Path store = dir.resolve("trust.p12");
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", TestTls.resource("ca-cert.pem").toString(),
                "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "s3cret");
        KeyStoreException e = assertThrows(KeyStoreException.class, () -> TlsSetup.load(keyStore("trust.p12", "s3cret", "")));
        assertTrue(e.getMessage().contains("no private key"), e.getMessage());
    }

    @Test
    void noDefaultStoreMeansNoTlsButANamedStoreMustExist() throws Exception {
        assertNull(TlsSetup.load(keyStore(TlsSettings.DEFAULT_KEY_STORE, "changeit", "")), "off, not failed");
        IOException e = assertThrows(IOException.class, () -> TlsSetup.load(keyStore("mine.p12", "changeit", "")));
        assertTrue(e.getMessage().contains("mine.p12") && e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void anUnknownProtocolVersionIsRefused() {
        TlsSettings settings = new TlsSettings(List.of(5349), "", "", "", "",
                TestTls.resource("ec-cert.pem").toString(), TestTls.resource("ec-key.pem").toString(),
                List.of("TLSv1.3", "TLSv9"), Duration.ofSeconds(1), null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TlsSetup.load(settings));
        assertTrue(e.getMessage().contains("TLSv9"), e.getMessage());
    }

    @Test
    void portListsParse() {
        assertEquals(List.of(5349, 443), RelaySettings.TURN_TLS_PORT.parse("5349, 443"));
        assertEquals(List.of(), RelaySettings.TURN_TLS_PORT.parse("0"));
        assertEquals(List.of(), RelaySettings.TURN_TLS_PORT.parse(""));
        assertThrows(IllegalArgumentException.class, () -> RelaySettings.TURN_TLS_PORT.parse("5349,https"));
        assertThrows(IllegalArgumentException.class, () -> RelaySettings.TURN_TLS_PORT.parse("70000"));
        assertThrows(IllegalArgumentException.class, () -> new TlsSettings(List.of(5349, 5349), "", "", "", "", "", "",
                TlsContext.DEFAULT_PROTOCOLS, Duration.ofSeconds(1), null));
        IllegalArgumentException clash = assertThrows(IllegalArgumentException.class, () -> RelayConfig.builder()
                .bindAddress("127.0.0.1").tcpPort(3478).tls(new TlsSettings(List.of(3478), "", "", "", "", "", "",
                        TlsContext.DEFAULT_PROTOCOLS, Duration.ofSeconds(1), null)).build());
        assertTrue(clash.getMessage().contains("3478"), clash.getMessage());
    }

    // ---- helpers

    private TlsSettings pem(Path certificate, Path key) {
        return new TlsSettings(List.of(5349), "", "", "", "", certificate.toString(), key.toString(),
                TlsContext.DEFAULT_PROTOCOLS, Duration.ofSeconds(10), null);
    }

    private TlsSettings keyStore(String name, String password, String alias) {
        return new TlsSettings(List.of(5349), name, password, "PKCS12", alias, "", "", TlsContext.DEFAULT_PROTOCOLS,
                Duration.ofSeconds(10), dir);
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    static void keytool(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "keytool finishes");
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + "\n" + out);
    }
}
