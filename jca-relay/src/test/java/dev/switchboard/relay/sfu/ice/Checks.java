package dev.switchboard.relay.sfu.ice;

import dev.switchboard.relay.ice.IceAttribute;
import dev.switchboard.relay.ice.IceRole;
import dev.switchboard.relay.ice.Priority;
import dev.switchboard.relay.stun.StunAttribute;
import dev.switchboard.relay.stun.StunClass;
import dev.switchboard.relay.stun.StunEncoder;
import dev.switchboard.relay.stun.StunKeys;
import dev.switchboard.relay.stun.StunMethod;
import dev.switchboard.relay.transport.Protocol;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Connectivity checks as a full (controlling) peer sends them, built with the codec's encoder, and an independent
 * check of our replies' MESSAGE-INTEGRITY and FINGERPRINT with the JDK's HMAC-SHA1 and CRC-32 (RFC 8489 §14.5,
 * §14.7), as IceBindingRequestTest does for requests.
 */
final class Checks {

    static final InetSocketAddress LOCAL_UDP = address("198.51.100.1", 3478);
    static final InetSocketAddress LOCAL_TCP = address("198.51.100.1", 3479);

    /** A check's options; the defaults make a valid controlling check without USE-CANDIDATE. */
    static final class Check {
        String username;
        String password;
        long priority = 0x6E7F1EFFL;
        boolean useCandidate;
        boolean controlled; // ICE-CONTROLLED instead of ICE-CONTROLLING
        long tieBreaker = 0x1234_5678_9ABC_DEF0L;
        boolean integrity = true;
        boolean fingerprint = true;
        int extraType = -1;
        byte[] tid = "transaction1".getBytes(StandardCharsets.US_ASCII);

        Check(IceSession s) {
            username = s.credentials().localUfrag() + ":" + s.credentials().remoteUfrag();
            password = s.credentials().localPwd();
        }

        Check nominate() {
            useCandidate = true;
            return this;
        }

        ByteBuffer bytes() {
            try {
                StunEncoder e = new StunEncoder().begin(ByteBuffer.allocate(512), StunMethod.BINDING,
                        StunClass.REQUEST, tid);
                e.addText(StunAttribute.USERNAME, username);
                e.add(IceRole.of(!controlled), tieBreaker);
                if (useCandidate) {
                    e.addEmpty(IceAttribute.USE_CANDIDATE);
                }
                if (priority >= 0) {
                    e.addUnsigned32(IceAttribute.PRIORITY, priority);
                }
                if (extraType >= 0) {
                    e.add(extraType, new byte[]{1, 2, 3, 4});
                }
                if (integrity) {
                    e.addMessageIntegrity(StunKeys.shortTerm(password));
                }
                if (fingerprint) {
                    e.addFingerprint();
                }
                ByteBuffer out = e.finish();
                return ByteBuffer.wrap(Arrays.copyOfRange(out.array(), out.position(), out.limit()));
            } catch (Exception x) {
                throw new AssertionError(x);
            }
        }
    }

    static InetSocketAddress address(String ip, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(ip), port);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static FiveTuple udp(String ip, int port) {
        return new FiveTuple().set(Protocol.UDP, address(ip, port), LOCAL_UDP);
    }

    static FiveTuple tcp(String ip, int port) {
        return new FiveTuple().set(Protocol.TCP, address(ip, port), LOCAL_TCP);
    }

    /**
     * Asserts the reply's MESSAGE-INTEGRITY (if {@code password} is not null, else that there is none) and its
     * FINGERPRINT, recomputed from the bytes with the JDK.
     */
    static void assertSealed(ByteBuffer reply, String password) throws Exception {
        byte[] b = Arrays.copyOfRange(reply.array(), reply.position(), reply.limit());
        int mi = -1;
        int fp = -1;
        for (int at = 20; at < b.length; ) {
            int type = (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF);
            int length = (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
            if (type == 0x0008) {
                mi = at;
            } else if (type == 0x8028) {
                fp = at;
            }
            at += 4 + ((length + 3) & ~3);
        }
        assertEquals(b.length - 8, fp, "FINGERPRINT is last");
        if (password == null) {
            assertEquals(-1, mi, "no MESSAGE-INTEGRITY on an unauthenticated answer");
        } else {
            assertTrue(mi > 0, "MESSAGE-INTEGRITY present");
            byte[] covered = Arrays.copyOf(b, mi);
            int length = mi + 24 - 20;
            covered[2] = (byte) (length >>> 8);
            covered[3] = (byte) length;
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(password.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            assertArrayEquals(mac.doFinal(covered), Arrays.copyOfRange(b, mi + 4, mi + 24), "MESSAGE-INTEGRITY");
        }
        CRC32 crc = new CRC32();
        crc.update(b, 0, fp);
        assertEquals((int) crc.getValue() ^ 0x5354554E, ByteBuffer.wrap(b, fp + 4, 4).getInt(), "FINGERPRINT");
    }

    /** Records the listener calls. */
    static final class Events implements IceListener {
        final java.util.List<String> log = new java.util.ArrayList<>();

        @Override
        public void selected(IceSession session, CandidatePair previous) {
            log.add("selected " + session.selected().remote().getPort()
                    + (previous == null ? "" : " from " + previous.remote().getPort()));
        }

        @Override
        public void failed(IceSession session, IceSession.Failure reason) {
            log.add("failed " + reason);
        }
    }

    private Checks() {
    }
}
