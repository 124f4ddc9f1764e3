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
    /** This peer's ICE credentials now (an ICE restart changes them). */
    private String ufrag = UFRAG;
    private String pwd = PWD;

    final DatagramSocket socket;
    private final DtlsIdentity identity = DtlsIdentity.generate(new SecureRandom());
    private final SecureRandom random = new SecureRandom();
    private String serverUfrag;
    private String serverPwd;
    private Fingerprint serverFingerprint;
    InetSocketAddress server;
    SrtpSession srtp;

    /** ICE-TCP (RFC 6544): checks, DTLS and SRTP on one TCP connection, RFC 4571 framed; null over UDP. */
    private final boolean tcp;
    private java.net.Socket stream;

    SfuTestPeer() throws IOException {
        this(false);
    }

    SfuTestPeer(boolean tcp) throws IOException {
        this.tcp = tcp;
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        socket.setSoTimeout(5_000);
    }

    /** Sends one packet: a datagram, or an RFC 4571 frame. */
    private void sendPacket(byte[] b, int off, int len) throws IOException {
        if (!tcp) {
            socket.send(new DatagramPacket(b, off, len, server));
            return;
        }
        if (stream == null) {
            stream = new java.net.Socket();
            stream.connect(server, 5_000);
            stream.setSoTimeout(5_000);
        }
        byte[] frame = new byte[2 + len];
        frame[0] = (byte) (len >>> 8);
        frame[1] = (byte) len;
        System.arraycopy(b, off, frame, 2, len);
        stream.getOutputStream().write(frame);
    }

    /** Receives one packet into {@code into}: its length, or -1 on timeout. */
    private int receivePacket(byte[] into, int timeoutMillis) throws IOException {
        try {
            if (!tcp) {
                socket.setSoTimeout(timeoutMillis);
                DatagramPacket p = new DatagramPacket(into, into.length);
                socket.receive(p);
                return p.getLength();
            }
            stream.setSoTimeout(timeoutMillis);
            java.io.DataInputStream in = new java.io.DataInputStream(stream.getInputStream());
            int len = in.readUnsignedShort();
            in.readFully(into, 0, len);
            return len;
        } catch (SocketTimeoutException e) {
            return -1;
        }
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
        Candidate c = tag.candidates().stream().filter(x -> x.isUdp() != tcp).findFirst().orElseThrow();
        server = new InetSocketAddress(InetAddress.getByName(c.address()), c.port());
    }

    /** After an ICE restart: this peer's new credentials and the server's. */
    void restarted(String newUfrag, String newPwd, String serverNewUfrag, String serverNewPwd) {
        String oldServerUfrag = serverUfrag;
        String oldServerPwd = serverPwd;
        ufrag = newUfrag;
        pwd = newPwd;
        serverUfrag = serverNewUfrag;
        serverPwd = serverNewPwd;
        previous = new String[] {oldServerUfrag, oldServerPwd};
    }

    /** The server's credentials before the last restart. */
    String[] previous;

    /** A check with the server's credentials from before the last restart: null when nothing answers. */
    StunMessage checkWithOldCredentials() throws Exception {
        String u = serverUfrag;
        String p = serverPwd;
        serverUfrag = previous[0];
        serverPwd = previous[1];
        try {
            return check();
        } catch (SocketTimeoutException e) {
            return null;
        } finally {
            serverUfrag = u;
            serverPwd = p;
        }
    }

    /** Sends a nominating check and returns the server's response. */
    StunMessage check() throws Exception {
        byte[] tid = new byte[12];
        random.nextBytes(tid);
        StunEncoder e = new StunEncoder().begin(ByteBuffer.allocate(512), StunMethod.BINDING, StunClass.REQUEST, tid);
        e.addText(StunAttribute.USERNAME, serverUfrag + ":" + ufrag);
        e.add(IceRole.of(true), random.nextLong());
        e.addEmpty(IceAttribute.USE_CANDIDATE);
        e.addUnsigned32(IceAttribute.PRIORITY, 0x6E7F1EFFL);
        e.addMessageIntegrity(StunKeys.shortTerm(serverPwd));
        e.addFingerprint();
        ByteBuffer out = e.finish();
        byte[] bytes = Arrays.copyOfRange(out.array(), out.position(), out.limit());
        sendPacket(bytes, 0, bytes.length);
        byte[] in = new byte[1500];
        while (true) {
            int n = receivePacket(in, 2_000);
            if (n < 0) {
                throw new SocketTimeoutException("no answer to the check");
            }
            if ((in[0] & 0xC0) == 0) {
                StunMessage m = new StunMessage();
                m.decode(in, 0, n);
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
        if (!tcp) {
            socket.connect(server);
        }
        TestDtlsClient client = new TestDtlsClient(identity, serverFingerprint, 10_000,
                SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80);
        client.connect(new DatagramTransport() { // records of at most mtu bytes out, whole packets in
            @Override
            public int getReceiveLimit() {
                return 1500;
            }

            @Override
            public int getSendLimit() {
                return Math.min(1500, mtu) - 28;
            }

            @Override
            public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
                byte[] in = new byte[2048];
                long deadline = System.nanoTime() + waitMillis * 1_000_000L;
                while (true) {
                    long left = (deadline - System.nanoTime()) / 1_000_000L;
                    if (left <= 0) {
                        return -1;
                    }
                    int n = receivePacket(in, (int) left);
                    if (n < 0) {
                        return -1;
                    }
                    if ((in[0] & 0xFF) >= 20 && (in[0] & 0xFF) <= 63) { // DTLS; STUN and media are not its
                        System.arraycopy(in, 0, buf, off, Math.min(n, len));
                        return Math.min(n, len);
                    }
                }
            }

            @Override
            public void send(byte[] buf, int off, int len) throws IOException {
                sendPacket(buf, off, len);
            }

            @Override
            public void close() {
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
        sendPacket(buf, 0, n);
    }

    /** Protects and sends an RTCP compound packet. */
    void sendRtcp(byte[] rtcp) throws IOException {
        byte[] buf = Arrays.copyOf(rtcp, rtcp.length + 64);
        int n = srtp.outbound().protectRtcp(buf, 0, rtcp.length, buf.length);
        if (SrtpResult.isError(n)) {
            throw new IOException(SrtpResult.describe(n));
        }
        sendPacket(buf, 0, n);
    }

    /** {@link #receive} waiting at most {@code millis} (then null). */
    byte[] receiveWithin(boolean rtcp, int millis) throws IOException {
        return receive(rtcp, millis);
    }

    /**
     * The next SRTP packet as it came, not unprotected: a packet this peer "loses" (its SRTP context never sees it, so
     * a retransmission of it passes the replay check, as for a packet lost on the way); null after {@code millis}.
     */
    byte[] receiveProtectedRtp(int millis) throws IOException {
        byte[] in = new byte[2048];
        int length = next(in, false, millis);
        return length < 0 ? null : Arrays.copyOf(in, length);
    }

    /**
     * The next SRTP or SRTCP packet, unprotected ({@code rtcp} says which kind to wait for; others are skipped), or
     * null when none comes within the socket's timeout.
     */
    byte[] receive(boolean rtcp) throws IOException {
        return receive(rtcp, 5_000);
    }

    private byte[] receive(boolean rtcp, int millis) throws IOException {
        byte[] in = new byte[2048];
        for (int length; (length = next(in, rtcp, millis)) >= 0; ) {
            int n = rtcp ? srtp.inbound().unprotectRtcp(in, 0, length)
                    : srtp.inbound().unprotectRtp(in, 0, length);
            if (!SrtpResult.isError(n)) {
                return Arrays.copyOf(in, n);
            }
        }
        return null;
    }

    /** Reads into {@code in} the next SRTP ({@code rtcp}: SRTCP) packet, skipping others; its length, or -1. */
    private int next(byte[] in, boolean rtcp, int millis) throws IOException {
        while (true) {
            int length = receivePacket(in, millis);
            if (length < 0) {
                return -1;
            }
            int first = in[0] & 0xFF;
            if (first < 128 || first > 191) {
                continue; // STUN, DTLS
            }
            boolean isRtcp = (in[1] & 0xFF) >= 192 && (in[1] & 0xFF) <= 223;
            if (isRtcp == rtcp) {
                return length;
            }
        }
    }

    @Override
    public void close() {
        socket.close();
        if (stream != null) {
            try {
                stream.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
