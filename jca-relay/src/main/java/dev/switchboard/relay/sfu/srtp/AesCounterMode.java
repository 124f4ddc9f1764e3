package dev.switchboard.relay.sfu.srtp;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.IvParameterSpec;
import java.security.GeneralSecurityException;

/**
 * AES in counter mode as SRTP (RFC 3711 §4.1.1) and GCM (NIST SP 800-38D's GCTR) use it: the keystream is AES of
 * successive counter blocks, XORed onto the data in place. Built on the JDK's "AES/CTR/NoPadding", whose AES-NI
 * intrinsic encrypts several blocks at once (about 6x what AES/ECB over our own counter blocks managed, see
 * BENCHMARKS.md "SRTP protection cost"). Its counter is set by an init per packet, which would allocate with the
 * JDK's own key and IvParameterSpec (each hands out a copy); {@link RawKey} and {@link ReusedIv} hand out one array
 * each instead, so the init allocates nothing (SrtpAllocationTest holds this). The output goes to a per-thread
 * scratch array and is copied back: the JDK copies the input itself, a new array per call, when they overlap.
 * One thread at a time.
 */
final class AesCounterMode {

    private static final int CHUNK = 2048; // an RTP packet over UDP fits in one Cipher call
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[CHUNK]);

    private final Cipher ctr;
    private final RawKey key;
    private final ReusedIv counter = new ReusedIv();

    AesCounterMode(byte[] key) {
        this.key = new RawKey(key);
        try {
            ctr = Cipher.getInstance("AES/CTR/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no AES/CTR: " + e, e);
        }
        start(new byte[16]); // fails here, not on the packet path, should the key be refused
    }

    /**
     * XORs {@code data[off, off+len)} with the keystream whose first block is AES of {@code iv}, the next of iv plus
     * one, and so on (the JDK adds to the whole 128-bit block; GCM's inc32 is the same while the low 32 bits do not
     * wrap, which a packet's at most 2^12 blocks from a counter of 2 never do; SRTP's AES-CM adds to the whole
     * block).
     */
    void apply(byte[] iv, byte[] data, int off, int len) {
        start(iv);
        next(data, off, len);
    }

    /** Sets the counter block: the next {@link #next} starts with AES of {@code iv}. */
    void start(byte[] iv) {
        System.arraycopy(iv, 0, counter.block, 0, 16);
        try {
            ctr.init(Cipher.ENCRYPT_MODE, key, counter);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/CTR refused a 16-byte key and counter: " + e, e);
        }
    }

    /** XORs {@code data[off, off+len)} with the keystream where the last call left it. */
    void next(byte[] data, int off, int len) {
        byte[] scratch = SCRATCH.get();
        try {
            while (len > 0) {
                int chunk = Math.min(len, CHUNK);
                ctr.update(data, off, chunk, scratch, 0);
                System.arraycopy(scratch, 0, data, off, chunk);
                off += chunk;
                len -= chunk;
            }
        } catch (ShortBufferException e) {
            throw new IllegalStateException(e); // the scratch holds CHUNK: cannot happen
        }
    }

    /**
     * A raw AES key whose getEncoded hands out the same array each time, refilled from the key (the provider may
     * wipe what it was given), where SecretKeySpec makes a new copy per init.
     */
    private static final class RawKey implements SecretKey {
        private static final long serialVersionUID = 1L;
        private final byte[] key;
        private final byte[] handedOut;

        RawKey(byte[] key) {
            this.key = key.clone();
            this.handedOut = new byte[key.length];
        }

        @Override
        public String getAlgorithm() {
            return "AES";
        }

        @Override
        public String getFormat() {
            return "RAW";
        }

        @Override
        public byte[] getEncoded() {
            System.arraycopy(key, 0, handedOut, 0, key.length);
            return handedOut;
        }
    }

    /** The counter block, handed to the provider as it is: IvParameterSpec's getIV makes a new copy per call. */
    private static final class ReusedIv extends IvParameterSpec {
        final byte[] block;

        ReusedIv() {
            this(new byte[16]);
        }

        private ReusedIv(byte[] block) {
            super(block);
            this.block = block;
        }

        @Override
        public byte[] getIV() {
            return block;
        }
    }
}
