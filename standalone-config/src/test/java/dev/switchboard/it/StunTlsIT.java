package dev.switchboard.it;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.X509Certificate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * STUN Binding over TLS (TURNS port) with the JDK's own TLS client, IPv4 and IPv6, TLS 1.3 and 1.2, against the relay
 * inside the deployed EAR, trusting only the certificate in the build's key store and checking it names the address
 * dialled, as a browser would.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class StunTlsIT {

    @Deployment(testable = false)
    static EnterpriseArchive deployment() {
        return TestServer.ear();
    }

    @Test
    void ipv4Tls13() throws Exception {
        binding("127.0.0.1", TestServer.TLS_PORT, "TLSv1.3");
    }

    @Test
    void ipv4Tls12() throws Exception {
        binding("127.0.0.1", TestServer.TLS_PORT, "TLSv1.2");
    }

    @Test
    void ipv6Tls13() throws Exception {
        binding("::1", TestServer.TLS_PORT, "TLSv1.3");
    }

    @Test
    void ipv6Tls12() throws Exception {
        binding("::1", TestServer.TLS_PORT, "TLSv1.2");
    }

    @Test
    void theSecondPortOfTheListServesToo() throws Exception {
        binding("127.0.0.1", TestServer.TLS_PORTS.get(1), "TLSv1.3");
        binding("::1", TestServer.TLS_PORTS.get(1), "TLSv1.2");
    }

    @Test
    void plainStunOnTheTlsPortIsClosedAndCounted() throws Exception {
        long before = tlsMalformed();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", TestServer.TLS_PORT), 5000);
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(StunTestClient.bindingRequest(StunTestClient.transactionId()));
            InputStream in = socket.getInputStream();
            try {
                assertEquals(-1, in.read(), "closed without a reply");
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the server kept a plaintext connection on its TLS port open", e);
            } catch (IOException reset) {
                // a reset is a close too
            }
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (tlsMalformed() == before && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(before + 1, tlsMalformed(), "counted on the IPv4 TLS listener");
        binding("127.0.0.1", TestServer.TLS_PORT, "TLSv1.3"); // and it serves on
    }

    private static void binding(String host, int port, String version) throws Exception {
        SSLContext client = trustingTheServersStore();
        try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket()) {
            socket.connect(new InetSocketAddress(host, port), 5000);
            socket.setSoTimeout(5000);
            socket.setEnabledProtocols(new String[]{version});
            SSLParameters params = socket.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name 127.0.0.1 / ::1
            socket.setSSLParameters(params);
            socket.startHandshake();
            assertEquals(version, socket.getSession().getProtocol());
            assertEquals("CN=localhost",
                    ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName());
            OutputStream out = socket.getOutputStream();
            for (int i = 0; i < 3; i++) {
                byte[] tid = StunTestClient.transactionId();
                out.write(StunTestClient.bindingRequest(tid));
                out.flush();
                StunTestClient.Response r = StunTestClient.readFramed(socket.getInputStream(), tid);
                assertEquals(StunTestClient.BINDING_SUCCESS, r.type());
                assertEquals(socket.getLocalSocketAddress(), r.xorMappedAddress());
                r.assertFingerprint();
            }
        }
    }

    /** A client context that trusts the test server's self-signed certificate. */
    static SSLContext trustingTheServersStore() throws Exception {
        KeyStore server = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(TestServer.TLS_KEY_STORE)) {
            server.load(in, "changeit".toCharArray());
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("switchboard", server.getCertificate("switchboard"));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    /** malformed of the IPv4 listener on the first TLS port. */
    private static long tlsMalformed() throws Exception {
        var listeners = TestServer.array(TestServer.get("/api/relay/listeners").body());
        for (JsonValue v : listeners) {
            JsonObject l = v.asJsonObject();
            if (l.getString("transport").equals("tls") && l.getString("host").equals("127.0.0.1")
                    && l.getInt("port") == TestServer.TLS_PORT) {
                assertEquals("UP", l.getString("state"));
                return l.getJsonObject("counters").getJsonNumber("malformed").longValue();
            }
        }
        throw new AssertionError("no IPv4 TLS listener on " + TestServer.TLS_PORT + " in " + listeners);
    }
}
