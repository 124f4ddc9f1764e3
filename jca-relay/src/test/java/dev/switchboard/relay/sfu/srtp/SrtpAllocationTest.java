package dev.switchboard.relay.sfu.srtp;

import dev.switchboard.relay.ThreadAllocation;
import org.junit.jupiter.api.Test;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The house rule that the packet path allocates nothing, measured with ThreadMXBean.getThreadAllocatedBytes as
 * PacketPathAllocationTest does: protect and unprotect of 1200-byte RTP packets and of RTCP, per profile, on
 * arrays and through a direct ByteBuffer. The bound (1 byte per packet) leaves no room for any object per packet.
 * The thread's CPU time per packet is printed for docs/sfu.md, never asserted.
 */
class SrtpAllocationTest {

    private static final int WARM_UP = 30_000;
    private static final int MEASURED = 20_000;
    private static final double MAX_BYTES_PER_PACKET = 1;

    @Test
    void aesCm80AllocatesNothingPerPacket() {
        assertNothingPerPacket(SrtpProfile.AES128_CM_HMAC_SHA1_80);
    }

    @Test
    void aesCm32AllocatesNothingPerPacket() {
        assertNothingPerPacket(SrtpProfile.AES128_CM_HMAC_SHA1_32);
    }

    @Test
    void aeadAesGcmAllocatesNothingPerPacket() {
        assertNothingPerPacket(SrtpProfile.AEAD_AES_128_GCM);
    }

    /**
     * Why GCM is our own (AesGcm): the JDK's Cipher needs an init with a new GCMParameterSpec per packet and
     * allocates around 1 KB each time. Should this start failing, the JDK stopped allocating: see docs/sfu.md.
     */
    @Test
    void theJdksGcmAllocatesPerPacket() throws Exception {
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        SecretKeySpec key = new SecretKeySpec(new byte[16], "AES");
        byte[] iv = new byte[12];
        byte[] packet = new byte[1200 + 16];
        byte[] out = new byte[1200 + 16];
        com.sun.management.ThreadMXBean threads = ThreadAllocation.bean();
        long before = 0;
        long start = 0;
        for (int i = 0; i < WARM_UP + MEASURED; i++) {
            if (i == WARM_UP) {
                before = threads.getCurrentThreadAllocatedBytes();
                start = threads.getCurrentThreadCpuTime();
            }
            iv[0] = (byte) i;
            iv[1] = (byte) (i >>> 8);
            iv[2] = (byte) (i >>> 16); // a new IV each time: the JDK refuses to encrypt twice under one
            gcm.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
            gcm.updateAAD(packet, 0, 12);
            gcm.doFinal(packet, 12, 1188, out, 12);
        }
        double perPacket = (threads.getCurrentThreadAllocatedBytes() - before) / (double) MEASURED;
        System.out.printf("JDK AES/GCM seal, 1200 bytes: %.0f bytes allocated, %.0f ns CPU per packet%n",
                perPacket, (threads.getCurrentThreadCpuTime() - start) / (double) MEASURED);
        assertTrue(perPacket > 100, perPacket + " bytes per packet");
    }

    /**
     * Why AesCounterMode hands the provider its own key and IvParameterSpec subclass: the ordinary init per packet
     * (a new IvParameterSpec, a SecretKeySpec, each handing out copies) allocates. Should this start failing, the
     * JDK stopped allocating and the two wrappers can go: see docs/sfu.md, section SRTP.
     */
    @Test
    void theJdksCtrInitAllocatesPerPacket() throws Exception {
        Cipher ctr = Cipher.getInstance("AES/CTR/NoPadding");
        SecretKeySpec key = new SecretKeySpec(new byte[16], "AES");
        byte[] iv = new byte[16];
        byte[] packet = new byte[1200];
        byte[] out = new byte[1200];
        com.sun.management.ThreadMXBean threads = ThreadAllocation.bean();
        long before = 0;
        for (int i = 0; i < WARM_UP + MEASURED; i++) {
            if (i == WARM_UP) {
                before = threads.getCurrentThreadAllocatedBytes();
            }
            iv[13] = (byte) i;
            ctr.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(iv));
            ctr.update(packet, 12, 1188, out, 12);
        }
        double perPacket = (threads.getCurrentThreadAllocatedBytes() - before) / (double) MEASURED;
        System.out.printf("JDK AES/CTR init + update, 1200 bytes: %.0f bytes allocated per packet%n", perPacket);
        assertTrue(perPacket > 16, perPacket + " bytes per packet");
    }

    private static void assertNothingPerPacket(SrtpProfile profile) {
        SrtpSession[] pair = SrtpContextTest.pair(profile);
        SrtpContext out = pair[0].outbound();
        SrtpContext in = pair[1].inbound();
        byte[] rtp = SrtpContextTest.rtp(0, 1200 - 32, true);
        byte[] packet = new byte[1500];
        byte[] rtcp = SrtpContextTest.rtcp(80);
        ByteBuffer direct = ByteBuffer.allocateDirect(1500);
        com.sun.management.ThreadMXBean threads = ThreadAllocation.bean();
        long before = 0;
        long start = 0;
        int seq = 0;
        for (int i = 0; i < WARM_UP + MEASURED; i++) {
            if (i == WARM_UP) {
                before = threads.getCurrentThreadAllocatedBytes();
                start = threads.getCurrentThreadCpuTime();
            }
            rtp[2] = (byte) (seq >>> 8);
            rtp[3] = (byte) seq++;
            System.arraycopy(rtp, 0, packet, 0, rtp.length);
            int sent = out.protectRtp(packet, 0, rtp.length, packet.length);
            assertEquals(rtp.length, in.unprotectRtp(packet, 0, sent));
            if (i % 10 == 0) { // RTCP as it comes: now and then, and through a direct buffer
                direct.clear();
                direct.put(rtcp).flip();
                out.protectRtcp(direct);
                assertEquals(rtcp.length, in.unprotectRtcp(direct));
                rtp[2] = (byte) (seq >>> 8);
                rtp[3] = (byte) seq++;
                direct.clear();
                direct.put(rtp).flip();
                out.protectRtp(direct);
                assertEquals(rtp.length, in.unprotectRtp(direct));
            }
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        long nanos = threads.getCurrentThreadCpuTime() - start;
        System.out.printf("%s, 1200-byte RTP: protect + unprotect %.0f ns CPU per packet, %d bytes allocated in %d%n",
                profile, nanos / (double) MEASURED, allocated, MEASURED);
        assertTrue(allocated / (double) MEASURED < MAX_BYTES_PER_PACKET,
                profile + ": " + allocated + " bytes for " + MEASURED + " packets");
        assertTrue(Arrays.equals(rtp, Arrays.copyOf(packet, rtp.length)));
    }
}
