package dev.switchboard.relay.turn;

import dev.switchboard.relay.stun.StunAddress;

import java.net.InetAddress;
import java.util.Arrays;

/**
 * A peer IP address as a hash key made of its bytes, so that a permission can be found from an address decoded out
 * of a message ({@link StunAddress}) without making an {@link InetAddress}: one mutable instance serves as the probe.
 */
final class PeerKey {

    private final byte[] bytes = new byte[16];
    private int length;
    private int hash;

    PeerKey() {
    }

    static PeerKey of(InetAddress address) {
        PeerKey key = new PeerKey();
        byte[] raw = address.getAddress();
        System.arraycopy(raw, 0, key.bytes, 0, raw.length);
        key.length = raw.length;
        key.rehash();
        return key;
    }

    /** Makes this probe the IP of {@code address} (its port is ignored: permissions are per IP, RFC 8656 §9). */
    PeerKey set(StunAddress address) {
        length = address.addressLength();
        for (int i = 0; i < length; i++) {
            bytes[i] = address.addressByte(i);
        }
        rehash();
        return this;
    }

    private void rehash() {
        int h = length;
        for (int i = 0; i < length; i++) {
            h = 31 * h + bytes[i];
        }
        hash = h;
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PeerKey other && other.length == length
                && Arrays.equals(bytes, 0, length, other.bytes, 0, length);
    }
}
