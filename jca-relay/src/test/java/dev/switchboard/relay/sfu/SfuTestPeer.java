package dev.switchboard.relay.sfu;

import dev.switchboard.relay.ice.IceAttribute;
import dev.switchboard.relay.ice.IceRole;
import dev.switchboard.relay.sfu.dtls.DtlsIdentity;
import dev.switchboard.relay.sfu.dtls.Fingerprint;
import dev.switchboard.relay.sfu.dtls.SrtpKeyingMaterial;
import dev.switchboard.relay.sfu.dtls.TestDtlsClient;
import dev.switchboard.relay.sfu.sdp.Candidate;
import dev.switchboard.relay.sfu.sdp.MediaDescription;
import dev.switchboard.relay.sfu.sdp.SdpParser;
import dev.switchboard.relay.sfu.sdp.SessionDescription;
import dev.switchboard.relay.sfu.srtp.SrtpProfile;
import dev.switchboard.relay.sfu.srtp.SrtpResult;
import dev.switchboard.relay.sfu.srtp.SrtpSession;
import dev.switchboard.relay.stun.StunAttribute;
import dev.switchboard.relay.stun.StunClass;
import dev.switchboard.relay.stun.StunEncoder;
import dev.switchboard.relay.stun.StunKeys;
import dev.switchboard.relay.stun.StunMessage;
import dev.switchboard.relay.stun.StunMethod;
import org.bouncycastle.tls.SRTPProtectionProfile;
import org.bouncycastle.tls.DatagramTransport;
import org.bouncycastle.tls.UDPTransport;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * A WebRTC peer made of the project's own client-side pieces, for tests of the SFU service over real UDP on
 * loopback: it sends a captured browser offer with its own ICE credentials and certificate, runs full-agent ICE
 * checks (controlling, nominating), a DTLS 1.2 client handshake with use_srtp (Bouncy Castle), and then SRTP.
 */
final class SfuTestPeer implements AutoCloseable {

    static final String UFRAG = "tEsT";
    static final String PWD = "testpasswordtestpassword";

    final DatagramSocket socket;
    private final DtlsIdentity identity = DtlsIdentity.generate(new SecureRandom());
    private final SecureRandom random = new SecureRandom();
    private String serverUfrag;
    private String serverPwd;
    private Fingerprint serverFingerprint;
    InetSocketAddress server;
    SrtpSession srtp;

    SfuTestPeer() throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        socket.setSoTimeout(5_000);
    }

    /** A captured offer with this peer's ICE credentials and certificate fingerprint in place of the browser's. */
    String offer(String capture) throws IOException {
        String sdp;
        try (InputStream in = SfuTestPeer.class.getResourceAsStream("/sdp/" + capture)) {
            sdp = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        return localize(sdp);
    }

    /** {@code sdp} with this peer's ICE credentials and certificate fingerprint in place of whoever's it had. */
    String localize(String sdp) {
        return sdp.replaceAll("a=ice-ufrag:\\S+", "a=ice-ufrag:" + UFRAG)
                .replaceAll("a=ice-pwd:\\S+", "a=ice-pwd:" + PWD)
                .replaceAll("a=fingerprint:sha-256 \\S+", "a=fingerprint:" + identity.fingerprint().sdpValue());
    }

    /**
     * This peer's answer to the server's offer (a subscriber's), as a browser would make it: receiving what is sent,
     * DTLS client, its own credentials; no candidates (the server is ICE-lite and learns them from the checks).
     */
    String answerTo(String offer) {
        StringBuilder out = new StringBuilder();
        for (String line : offer.split("\r\n")) {
            if (line.equals("a=ice-lite") || line.startsWith("a=candidate") || line.equals("a=end-of-candidates")
                    || line.startsWith("a=ssrc") || line.startsWith("a=msid:")) {
                continue;
            }
            out.append(line.replace("a=setup:actpass", "a=setup:active").replace("a=sendonly", "a=recvonly"))
                    .append("\r\n");
        }
        return localize(out.toString());
    }

    /** Reads the server's credentials, fingerprint and first UDP candidate from its answer. */
    void answer(String sdp) throws Exception {
        SessionDescription a = SdpParser.parse(sdp);
        MediaDescription tag = a.media().stream().filter(m -> !m.isRejected()).findFirst().orElseThrow();
        serverUfrag = tag.transport().or(a.transport()).iceUfrag();
        serverPwd = tag.transport().or(a.transport()).icePwd();
        var f = tag.transport().or(a.transport()).fingerprints().get(0);
        serverFingerprint = Fingerprint.parse(f.hashFunction() + " " + f.value());
        Candidate c = tag.candidates().stream().filter(Candidate::isUdp).findFirst().orElseThrow();
        server = new InetSocketAddress(InetAddress.getByName(c.address()), c.port());
    }

    /** Sends a nominating check and returns the server's response. */
    StunMessage check() throws Exception {
        byte[] tid = new byte[12];
        random.nextBytes(tid);
        StunEncoder e = new StunEncoder().begin(ByteBuffer.allocate(512), StunMethod.BINDING, StunClass.REQUEST, tid);
        e.addText(StunAttribute.USERNAME, serverUfrag + ":" + UFRAG);
        e.add(IceRole.of(true), random.nextLong());
        e.addEmpty(IceAttribute.USE_CANDIDATE);
        e.addUnsigned32(IceAttribute.PRIORITY, 0x6E7F1EFFL);
        e.addMessageIntegrity(StunKeys.shortTerm(serverPwd));
        e.addFingerprint();
        ByteBuffer out = e.finish();
        byte[] bytes = Arrays.copyOfRange(out.array(), out.position(), out.limit());
        socket.send(new DatagramPacket(bytes, bytes.length, server));
        byte[] in = new byte[1500];
        while (true) {
            DatagramPacket p = new DatagramPacket(in, in.length);
            socket.receive(p);
            if ((in[0] & 0xC0) == 0) {
                StunMessage m = new StunMessage();
                m.decode(in, 0, p.getLength());
                if (Arrays.equals(m.transactionId(), tid)) {
                    return m;
                }
            }
        }
    }

    /** The DTLS handshake over this socket, then the SRTP session from its keys. */
    void dtls() throws Exception {
        dtls(1500);
    }

    /** The handshake with records of at most {@code mtu} bytes: a small one fragments the ClientHello. */
    void dtls(int mtu) throws Exception {
        socket.connect(server);
        TestDtlsClient client = new TestDtlsClient(identity, serverFingerprint, 10_000,
                SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80);
        UDPTransport udp = new UDPTransport(socket, 1500);
        client.connect(new DatagramTransport() { // sends records of at most mtu bytes, receives whole datagrams
            @Override
            public int getReceiveLimit() throws IOException {
                return udp.getReceiveLimit();
            }

            @Override
            public int getSendLimit() throws IOException {
                return Math.min(udp.getSendLimit(), mtu - 28);
            }

            @Override
            public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
                return udp.receive(buf, off, len, waitMillis);
            }

            @Override
            public void send(byte[] buf, int off, int len) throws IOException {
                udp.send(buf, off, len);
            }

            @Override
            public void close() throws IOException {
                udp.close();
            }
        });
        SrtpKeyingMaterial keys = client.keyingMaterial;
        byte[] material = ByteBuffer.allocate(keys.profile().keyingMaterialLength()).put(keys.clientKey())
                .put(keys.serverKey()).put(keys.clientSalt()).put(keys.serverSalt()).array();
        srtp = SrtpSession.fromDtls(SrtpProfile.forId(keys.profile().id()), material, SrtpSession.Role.CLIENT);
    }

    /** Protects and sends an RTP packet. */
    void sendRtp(byte[] rtp) throws IOException {
        byte[] buf = Arrays.copyOf(rtp, rtp.length + 64);
        int n = srtp.outbound().protectRtp(buf, 0, rtp.length, buf.length);
        if (SrtpResult.isError(n)) {
            throw new IOException(SrtpResult.describe(n));
        }
        socket.send(new DatagramPacket(buf, n));
    }

    /** Protects and sends an RTCP compound packet. */
    void sendRtcp(byte[] rtcp) throws IOException {
        byte[] buf = Arrays.copyOf(rtcp, rtcp.length + 64);
        int n = srtp.outbound().protectRtcp(buf, 0, rtcp.length, buf.length);
        if (SrtpResult.isError(n)) {
            throw new IOException(SrtpResult.describe(n));
        }
        socket.send(new DatagramPacket(buf, n));
    }

    /** {@link #receive} waiting at most {@code millis} (then null). */
    byte[] receiveWithin(boolean rtcp, int millis) throws IOException {
        int before = socket.getSoTimeout();
        socket.setSoTimeout(millis);
        try {
            return receive(rtcp);
        } finally {
            socket.setSoTimeout(before);
        }
    }

    /**
     * The next SRTP or SRTCP packet, unprotected ({@code rtcp} says which kind to wait for; others are skipped), or
     * null when none comes within the socket's timeout.
     */
    byte[] receive(boolean rtcp) throws IOException {
        byte[] in = new byte[2048];
        while (true) {
            DatagramPacket p = new DatagramPacket(in, in.length);
            try {
                socket.receive(p);
            } catch (SocketTimeoutException e) {
                return null;
            }
            int first = in[0] & 0xFF;
            if (first < 128 || first > 191) {
                continue; // STUN, DTLS
            }
            boolean isRtcp = (in[1] & 0xFF) >= 192 && (in[1] & 0xFF) <= 223;
            if (isRtcp != rtcp) {
                continue;
            }
            int n = rtcp ? srtp.inbound().unprotectRtcp(in, 0, p.getLength())
                    : srtp.inbound().unprotectRtp(in, 0, p.getLength());
            if (!SrtpResult.isError(n)) {
                return Arrays.copyOf(in, n);
            }
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
