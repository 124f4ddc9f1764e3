package dev.switchboard.relay.sfu.dtls;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A foreign client: OpenSSL's {@code s_client -dtls1_2 -use_srtp} against the acceptor over loopback UDP, with a
 * client certificate, exporting {@code EXTRACTOR-dtls_srtp} itself; both sides must hold the same bytes. Skipped
 * where no {@code openssl} is installed.
 */
class OpensslDtlsInteropTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final DtlsIdentity SERVER = DtlsIdentity.generate("switchboard", new SecureRandom());

    @TempDir
    Path dir;

    @Test
    void opensslNegotiatesSha1_80AndExportsTheSameKeys() throws Exception {
        // Offered second, AES-CM is still what we pick (our preference, not the client's order).
        handshakeAndCompareKeys("SRTP_AEAD_AES_128_GCM:SRTP_AES128_CM_SHA1_80", SrtpProfileId.AES128_CM_HMAC_SHA1_80,
                "SRTP_AES128_CM_SHA1_80");
    }

    @Test
    void opensslOfferingOnlyAeadGcmGetsItAndTheSameKeys() throws Exception {
        handshakeAndCompareKeys("SRTP_AEAD_AES_128_GCM", SrtpProfileId.AEAD_AES_128_GCM,
                "SRTP_AEAD_AES_128_GCM");
    }

    private void handshakeAndCompareKeys(String offer, SrtpProfileId expected, String opensslName) throws Exception {
        Fingerprint client = clientCertificate();
        try (LoopbackServer server = new LoopbackServer(client)) {
            Process openssl = sClient(server.port(), offer, expected.keyingMaterialLength());
            try {
                List<String> out = readUntilKeyingMaterial(openssl);
                SrtpKeyingMaterial keys = server.connected.get(WAIT.toSeconds(), TimeUnit.SECONDS);

                assertEquals(expected, keys.profile());
                assertTrue(out.stream().anyMatch(l -> l.contains("SRTP Extension negotiated, profile=" + opensslName)),
                        String.join("\n", out));
                String exported = out.stream().filter(l -> l.trim().startsWith("Keying material:")).findFirst()
                        .orElseThrow().trim().substring("Keying material:".length()).trim();
                assertEquals(hex(keys), exported.toLowerCase(java.util.Locale.ROOT));

                openssl.getOutputStream().close(); // EOF on stdin: s_client sends close_notify and exits
                assertEquals(DtlsCloseReason.PEER_CLOSED, server.closed.get(WAIT.toSeconds(), TimeUnit.SECONDS));
            } finally {
                openssl.destroyForcibly();
            }
            assertTrue(server.loopErrors.isEmpty(), server.loopErrors.toString());
        }
    }

    @Test
    void opensslWithAnotherCertificateIsRefused() throws Exception {
        clientCertificate();
        Fingerprint someoneElse = SERVER.fingerprint();
        try (LoopbackServer server = new LoopbackServer(someoneElse)) {
            Process openssl = sClient(server.port(), "SRTP_AES128_CM_SHA1_80", 60);
            try {
                assertEquals(DtlsCloseReason.FINGERPRINT_MISMATCH,
                        server.closed.get(WAIT.toSeconds(), TimeUnit.SECONDS));
                assertTrue(openssl.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "s_client gives up on the alert");
            } finally {
                openssl.destroyForcibly();
            }
        }
    }

    private Fingerprint clientCertificate() throws Exception {
        run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-subj", "/CN=openssl-client", "-days", "1", "-keyout", dir.resolve("key.pem").toString(),
                "-out", dir.resolve("cert.pem").toString());
        String line = run("openssl", "x509", "-in", dir.resolve("cert.pem").toString(), "-noout", "-fingerprint",
                "-sha256");
        return Fingerprint.parse(line.substring(line.indexOf('=') + 1).trim());
    }

    private Process sClient(int port, String profiles, int exportLength) throws IOException {
        return new ProcessBuilder("openssl", "s_client", "-dtls1_2", "-connect", "127.0.0.1:" + port,
                "-use_srtp", profiles, "-cert", dir.resolve("cert.pem").toString(),
                "-key", dir.resolve("key.pem").toString(), "-keymatexport", "EXTRACTOR-dtls_srtp",
                "-keymatexportlen", Integer.toString(exportLength)).redirectErrorStream(true).start();
    }

    private static List<String> readUntilKeyingMaterial(Process p) throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> seen = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                    if (line.trim().startsWith("Keying material:")) {
                        seen.complete(null);
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
            seen.complete(null);
        }, "s_client-output");
        reader.setDaemon(true);
        reader.start();
        seen.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        return lines;
    }

    private static String run(String... command) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("no openssl here: " + e.getMessage());
            throw e;
        }
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "openssl finished");
        assertEquals(0, p.exitValue(), new String(out, StandardCharsets.UTF_8));
        return new String(out, StandardCharsets.UTF_8).trim();
    }

    private static String hex(SrtpKeyingMaterial k) {
        HexFormat h = HexFormat.of();
        return h.formatHex(k.clientKey()) + h.formatHex(k.serverKey()) + h.formatHex(k.clientSalt())
                + h.formatHex(k.serverSalt());
    }

    /** The event loop in miniature: one UDP socket on loopback, one thread routing by source address. */
    private static final class LoopbackServer implements AutoCloseable {

        final CompletableFuture<SrtpKeyingMaterial> connected = new CompletableFuture<>();
        final CompletableFuture<DtlsCloseReason> closed = new CompletableFuture<>();
        final List<Throwable> loopErrors = new CopyOnWriteArrayList<>();
        private final DatagramChannel channel;
        private final ExecutorService handshakes = Executors.newCachedThreadPool();
        private final Map<SocketAddress, DtlsSession> sessions = new ConcurrentHashMap<>();
        private final Thread loop;

        LoopbackServer(Fingerprint expected) throws IOException {
            channel = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            DtlsAcceptor acceptor = new DtlsAcceptor(SERVER, DtlsSettings.DEFAULTS, handshakes, new SecureRandom());
            DtlsSession.Listener listener = new DtlsSession.Listener() {
                @Override
                public void connected(DtlsSession session, SrtpKeyingMaterial keys) {
                    connected.complete(keys);
                }

                @Override
                public void closed(DtlsSession session, DtlsCloseReason reason) {
                    sessions.remove(session.remote());
                    closed.complete(reason);
                }
            };
            loop = new Thread(() -> {
                ByteBuffer buf = ByteBuffer.allocateDirect(2048);
                while (true) {
                    try {
                        buf.clear();
                        InetSocketAddress from = (InetSocketAddress) channel.receive(buf);
                        buf.flip();
                        DtlsSession session = sessions.get(from);
                        if (session != null) {
                            session.onDatagram(buf);
                        } else if (DtlsRecords.isDtls(buf)) {
                            DtlsOutput output = (b, off, len) -> {
                                try {
                                    channel.send(ByteBuffer.wrap(b, off, len), from);
                                } catch (IOException e) {
                                    // dropped, as a full socket buffer would
                                }
                            };
                            DtlsSession created = acceptor.accept(from, buf, output, expected, listener);
                            if (created != null) {
                                sessions.put(from, created);
                            }
                        }
                    } catch (ClosedChannelException e) {
                        return;
                    } catch (Throwable t) {
                        loopErrors.add(t);
                    }
                }
            }, "loopback-dtls-loop");
            loop.setDaemon(true);
            loop.start();
        }

        int port() throws IOException {
            return ((InetSocketAddress) channel.getLocalAddress()).getPort();
        }

        @Override
        public void close() throws Exception {
            sessions.values().forEach(DtlsSession::close);
            channel.close();
            loop.join(TimeUnit.SECONDS.toMillis(10));
            handshakes.shutdownNow();
        }
    }
}
