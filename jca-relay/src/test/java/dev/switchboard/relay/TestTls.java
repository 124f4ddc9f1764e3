package dev.switchboard.relay;

import dev.switchboard.relay.server.PemFiles;
import dev.switchboard.relay.server.TlsSettings;
import dev.switchboard.relay.server.TlsSetup;
import dev.switchboard.relay.transport.TlsContext;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

/** The test-only key material under {@code src/test/resources/tls}, as server contexts and trusting clients. */
public final class TestTls {

    private TestTls() {
    }

    public static Path resource(String name) {
        try {
            return Path.of(TestTls.class.getResource("/tls/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing test resource tls/" + name, e);
        }
    }

    /** PEM settings for {@code prefix}-cert.pem / {@code prefix}-key.pem (ec, rsa, chain) on the given ports. */
    public static TlsSettings pemSettings(String prefix, List<Integer> ports, Duration handshakeTimeout) {
        return new TlsSettings(ports, TlsSettings.DEFAULT_KEY_STORE, "", "PKCS12", "",
                resource(prefix + "-cert.pem").toString(), resource(prefix + "-key.pem").toString(),
                TlsContext.DEFAULT_PROTOCOLS, handshakeTimeout, null);
    }

    /** A server context with the EC test key. */
    public static TlsContext serverContext() {
        return serverContext(TlsContext.DEFAULT_HANDSHAKE_TIMEOUT);
    }

    public static TlsContext serverContext(Duration handshakeTimeout) {
        try {
            return TlsSetup.load(pemSettings("ec", List.of(), handshakeTimeout)).context();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The JDK context behind {@link #serverContext}, for tests that build their own {@link TlsContext}. */
    public static SSLContext serverSslContext() {
        try {
            var chain = PemFiles.certificates(resource("ec-cert.pem"));
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("k", PemFiles.privateKey(resource("ec-key.pem")), "pw".toCharArray(),
                    chain.toArray(java.security.cert.Certificate[]::new));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, "pw".toCharArray());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A client that trusts exactly the certificates in the named PEM file (ec-cert.pem, ca-cert.pem, ...). */
    public static SSLContext client(String trustedPem) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            try (InputStream in = Files.newInputStream(resource(trustedPem))) {
                int i = 0;
                for (var c : factory.generateCertificates(in)) {
                    trust.setCertificateEntry("trusted-" + i++, (X509Certificate) c);
                }
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A connected, handshaken client socket trusting the EC test certificate, checking the server's name like a
     * browser would (the certificate names 127.0.0.1 and ::1), offering only {@code protocol}.
     */
    public static SSLSocket connect(InetSocketAddress server, String protocol) throws IOException {
        return connect(client("ec-cert.pem"), server, protocol);
    }

    public static SSLSocket connect(SSLContext client, InetSocketAddress server, String protocol) throws IOException {
        SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket(server.getAddress(), server.getPort());
        socket.setSoTimeout(5000);
        socket.setTcpNoDelay(true);
        socket.setEnabledProtocols(new String[]{protocol});
        var params = socket.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(params);
        socket.startHandshake();
        return socket;
    }
}
