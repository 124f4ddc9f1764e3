// SrtpSpeedBench: CPU per SrtpContext.protectRtp / unprotectRtp, for bench/srtp-speed. JDK 17 source launch on the
// classpath of jca-relay/target/classes (no other dependency):
//
//   java -cp jca-relay/target/classes bench/SrtpSpeedBench.java [ROUNDS [ONLY]]
//
// ONLY: measure just the cases whose name contains it (e.g. GCM, JDK); default all.
//
// For each profile, RTP packet size (100 and 1200 bytes, 12-byte header included) and number of contexts (1; 100
// used round-robin as the SFU's fan-out walks its subscribers' contexts; 1000, whose state no longer fits in the L2
// cache, as a stand-in for a fan-out whose other work evicts it), it times OPS packets per round and prints the best
// round's CPU ns per packet (this thread's CPU time) after WARM_UP untimed rounds. Every timed packet is first
// copied from a template into the work buffer (as the SFU copies a packet per subscriber), so each figure includes
// one copy; the line "copy only" shows what that costs. Unprotect works on packets protected beforehand (untimed),
// one pool per round, taken in the order they were protected. Before anything is measured, every case runs once
// untimed (two rounds), so the first case does not pay for the JIT compiling the shared code.
//
// Baseline: the JDK's own primitives on the same packets, as a straightforward SRTP on javax.crypto would use
// them: AES/CTR/NoPadding with init and a new IvParameterSpec per packet, then update over the payload;
// Mac HmacSHA1 over the packet and ROC (doFinal, a new array per tag); their sum ("JDK CTR + HmacSHA1") is the
// JDK's AES-CM protect; AES/GCM/NoPadding with init and a new GCMParameterSpec per packet, header as AAD. Each
// baseline context has its own key, like ours. These allocate per packet, which our packet path may not.
//
// Bounded: a fixed number of rounds per case; stops early (and says so) once 100 s have passed.

import dev.switchboard.relay.sfu.srtp.SrtpContext;
import dev.switchboard.relay.sfu.srtp.SrtpProfile;
import dev.switchboard.relay.sfu.srtp.SrtpSession;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

public class SrtpSpeedBench {

    static final int OPS = 10_000;
    static final int WARM_UP = 4;
    static final int[] SIZES = {100, 1200};
    static final int[] CONTEXTS = {1, 100, 1000};
    static final int SSRC = 0x1234_5678;
    static final long DEADLINE = System.nanoTime() + 100_000_000_000L;
    static int rounds = 8;
    static int warmUp = WARM_UP;
    static String only = "";
    static boolean outOfTime;
    static long sink;
    // the thread's CPU time, not the wall clock: the machine is shared; a round we were descheduled in must not count
    static final java.lang.management.ThreadMXBean THREAD = java.lang.management.ManagementFactory.getThreadMXBean();

    interface Op {
        /** Runs packet i of the round (contexts taken round-robin by the caller's choice). */
        void run(int i) throws Exception;
    }

    interface Prepare {
        void round() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0) {
            rounds = Integer.parseInt(args[0]);
        }
        if (args.length > 1) {
            only = args[1];
        }
        int measuredRounds = rounds;
        rounds = 0; // the untimed pass: warm-up rounds only
        warmUp = 2;
        run();
        rounds = measuredRounds;
        warmUp = WARM_UP;
        System.out.printf(Locale.ROOT, "# SrtpSpeedBench: %d packets per round, best of %d rounds after %d warm-up; "
                + "thread CPU ns per packet (one template copy included)%n", OPS, rounds, WARM_UP);
        System.out.printf(Locale.ROOT, "# %s %s, %d CPUs%n", System.getProperty("java.vm.name"),
                System.getProperty("java.runtime.version"), Runtime.getRuntime().availableProcessors());
        List<String[]> rows = run();
        System.out.printf(Locale.ROOT, "%-40s %6s %9s %10s%n", "case", "bytes", "contexts", "ns/packet");
        print(rows);
        finish();
    }

    static List<String[]> run() throws Exception {
        List<String[]> rows = new ArrayList<>();
        for (int size : SIZES) {
            for (int contexts : CONTEXTS) {
                String c = Integer.toString(contexts);
                if (wanted("copy only")) {
                    rows.add(row("copy only", size, c, copyOnly(size)));
                }
                for (SrtpProfile profile : SrtpProfile.values()) {
                    if (wanted(profile + " protect")) {
                        rows.add(row(profile + " protect", size, c, ours(profile, size, contexts, false)));
                    }
                    if (wanted(profile + " unprotect")) {
                        rows.add(row(profile + " unprotect", size, c, ours(profile, size, contexts, true)));
                    }
                }
                if (wanted("JDK CTR + HmacSHA1")) {
                    double ctr = jdkCtr(size, contexts);
                    double mac = jdkMac(size, contexts);
                    rows.add(row("JDK AES/CTR init+update", size, c, ctr));
                    rows.add(row("JDK HmacSHA1", size, c, mac));
                    rows.add(row("JDK CTR + HmacSHA1 (sum)", size, c, ctr + mac));
                }
                if (wanted("JDK AES/GCM init+doFinal")) {
                    rows.add(row("JDK AES/GCM init+doFinal", size, c, jdkGcm(size, contexts)));
                }
            }
        }
        return rows;
    }

    static boolean wanted(String name) {
        return name.contains(only);
    }

    static void print(List<String[]> rows) {
        for (String[] r : rows) {
            System.out.printf(Locale.ROOT, "%-40s %6s %9s %10s%n", (Object[]) r);
        }
    }

    static void finish() {
        if (outOfTime) {
            System.out.println("# stopped early: the 100 s budget ran out (rows marked '-' were not measured)");
        }
        System.out.println("# sink " + (sink & 1));
    }

    static String[] row(String name, int size, String contexts, double ns) {
        String value = Double.isNaN(ns) ? "-" : String.format(Locale.ROOT, "%.0f", ns);
        return new String[]{name, Integer.toString(size), contexts, value};
    }

    /** Best ns per op over the rounds; prepare runs untimed before each round. */
    static double measure(Prepare prepare, Op op) throws Exception {
        double best = Double.MAX_VALUE;
        for (int r = 0; r < warmUp + rounds; r++) {
            if (System.nanoTime() > DEADLINE) {
                outOfTime = true;
                return r > warmUp ? best : Double.NaN;
            }
            prepare.round();
            long start = THREAD.getCurrentThreadCpuTime();
            for (int i = 0; i < OPS; i++) {
                op.run(i);
            }
            long ns = THREAD.getCurrentThreadCpuTime() - start;
            if (r >= warmUp) {
                best = Math.min(best, ns / (double) OPS);
            }
        }
        return best;
    }

    static byte[] template(int size) {
        byte[] p = new byte[size];
        new Random(size).nextBytes(p);
        p[0] = (byte) 0x80;
        p[1] = 96;
        p[8] = (byte) (SSRC >>> 24);
        p[9] = (byte) (SSRC >>> 16);
        p[10] = (byte) (SSRC >>> 8);
        p[11] = (byte) SSRC;
        return p;
    }

    static byte[] keyingMaterial(SrtpProfile profile, int n) {
        byte[] m = new byte[profile.keyingMaterialLength()];
        new Random(1000 + n).nextBytes(m);
        return m;
    }

    static double copyOnly(int size) throws Exception {
        byte[] t = template(size);
        byte[] buf = new byte[1500];
        return measure(() -> { }, i -> {
            System.arraycopy(t, 0, buf, 0, size);
            sink += buf[i % size];
        });
    }

    static double ours(SrtpProfile profile, int size, int contexts, boolean unprotect) throws Exception {
        SrtpContext[] out = new SrtpContext[contexts];
        SrtpContext[] in = new SrtpContext[contexts];
        for (int c = 0; c < contexts; c++) {
            byte[] km = keyingMaterial(profile, c);
            out[c] = SrtpSession.fromDtls(profile, km, SrtpSession.Role.SERVER).outbound();
            in[c] = SrtpSession.fromDtls(profile, km, SrtpSession.Role.CLIENT).inbound();
        }
        byte[] t = template(size);
        byte[] buf = new byte[1500];
        int[] seq = {0};
        if (!unprotect) {
            return measure(() -> { }, i -> {
                int c = i % contexts;
                if (c == 0) {
                    seq[0]++;
                }
                System.arraycopy(t, 0, buf, 0, size);
                buf[2] = (byte) (seq[0] >>> 8);
                buf[3] = (byte) seq[0];
                if (out[c].protectRtp(buf, 0, size, buf.length) < 0) {
                    throw new IllegalStateException("protect refused");
                }
            });
        }
        int stride = size + 16;
        byte[] pool = new byte[OPS * stride];
        int[] lengths = new int[OPS];
        return measure(() -> {
            for (int i = 0; i < OPS; i++) {
                int c = i % contexts;
                if (c == 0) {
                    seq[0]++;
                }
                System.arraycopy(t, 0, pool, i * stride, size);
                pool[i * stride + 2] = (byte) (seq[0] >>> 8);
                pool[i * stride + 3] = (byte) seq[0];
                lengths[i] = out[c].protectRtp(pool, i * stride, size, stride);
            }
        }, i -> {
            System.arraycopy(pool, i * stride, buf, 0, lengths[i]);
            if (in[i % contexts].unprotectRtp(buf, 0, lengths[i]) != size) {
                throw new IllegalStateException("unprotect refused");
            }
        });
    }

    static SecretKeySpec[] keys(int contexts, int length) {
        SecretKeySpec[] k = new SecretKeySpec[contexts];
        for (int c = 0; c < contexts; c++) {
            byte[] b = new byte[length];
            new Random(c).nextBytes(b);
            k[c] = new SecretKeySpec(b, length == 16 ? "AES" : "HmacSHA1");
        }
        return k;
    }

    static double jdkCtr(int size, int contexts) throws Exception {
        SecretKeySpec[] k = keys(contexts, 16);
        Cipher[] ciphers = new Cipher[contexts];
        for (int c = 0; c < contexts; c++) {
            ciphers[c] = Cipher.getInstance("AES/CTR/NoPadding");
        }
        byte[] t = template(size);
        byte[] buf = new byte[1500];
        byte[] iv = new byte[16];
        return measure(() -> { }, i -> {
            int c = i % contexts;
            System.arraycopy(t, 0, buf, 0, size);
            iv[10] = (byte) (i >>> 8);
            iv[11] = (byte) i;
            ciphers[c].init(Cipher.ENCRYPT_MODE, k[c], new IvParameterSpec(iv));
            ciphers[c].update(buf, 12, size - 12, buf, 12);
        });
    }

    static double jdkMac(int size, int contexts) throws Exception {
        SecretKeySpec[] k = keys(contexts, 20);
        Mac[] macs = new Mac[contexts];
        for (int c = 0; c < contexts; c++) {
            macs[c] = Mac.getInstance("HmacSHA1");
            macs[c].init(k[c]);
        }
        byte[] t = template(size);
        byte[] buf = new byte[1500];
        byte[] roc = new byte[4];
        return measure(() -> { }, i -> {
            int c = i % contexts;
            System.arraycopy(t, 0, buf, 0, size);
            macs[c].update(buf, 0, size);
            macs[c].update(roc, 0, 4);
            byte[] tag = macs[c].doFinal();
            System.arraycopy(tag, 0, buf, size, 10);
        });
    }

    static double jdkGcm(int size, int contexts) throws Exception {
        SecretKeySpec[] k = keys(contexts, 16);
        Cipher[] ciphers = new Cipher[contexts];
        for (int c = 0; c < contexts; c++) {
            ciphers[c] = Cipher.getInstance("AES/GCM/NoPadding");
        }
        byte[] t = template(size);
        byte[] buf = new byte[1500];
        byte[] out = new byte[1500];
        byte[] iv = new byte[12];
        long[] n = {0};
        return measure(() -> { }, i -> {
            int c = i % contexts;
            long v = ++n[0]; // a new IV every time: the JDK refuses to encrypt twice under one key and IV
            iv[4] = (byte) (v >>> 24);
            iv[5] = (byte) (v >>> 16);
            iv[6] = (byte) (v >>> 8);
            iv[7] = (byte) v;
            System.arraycopy(t, 0, buf, 0, size);
            ciphers[c].init(Cipher.ENCRYPT_MODE, k[c], new GCMParameterSpec(128, iv));
            ciphers[c].updateAAD(buf, 0, 12);
            ciphers[c].doFinal(buf, 12, size - 12, out, 12);
        });
    }
}
