package dev.switchboard.relay.turn;

import dev.switchboard.relay.stun.StunAddress;
import dev.switchboard.relay.stun.StunAttribute;
import dev.switchboard.relay.stun.StunClass;
import dev.switchboard.relay.stun.StunEncoder;
import dev.switchboard.relay.stun.StunMessage;
import dev.switchboard.relay.turn.stun.TurnMethod;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * "Nonces expire (438 Stale Nonce) and cost no per-client server state before authentication succeeds": a nonce is
 * checked from itself, the client's IP and the clock alone.
 */
class StatelessNoncesTest {

    private static final long LIFETIME = TimeUnit.SECONDS.toNanos(600);
    private static final StunAddress CLIENT = new StunAddress().set(new InetSocketAddress("192.0.2.7", 40000));

    private final StatelessNonces nonces = new StatelessNonces(LIFETIME, new SecureRandom());

    @Test
    void aNonceIsValidForItsClientUntilItExpires() throws Exception {
        long now = System.nanoTime();
        byte[] nonce = nonces.issue(CLIENT, now).clone();
        assertEquals(StatelessNonces.LENGTH, nonce.length);
        assertTrue(valid(nonces, nonce, CLIENT, now));
        assertTrue(valid(nonces, nonce, CLIENT, now + LIFETIME), "valid to the end of its lifetime");
        assertFalse(valid(nonces, nonce, CLIENT, now + LIFETIME + 1), "then stale");
        // another port of the same IP (a client's new socket) is the same client; another IP is not
        assertTrue(valid(nonces, nonce, new StunAddress().set(new InetSocketAddress("192.0.2.7", 1)), now));
        assertFalse(valid(nonces, nonce, new StunAddress().set(new InetSocketAddress("192.0.2.8", 40000)), now));
        assertFalse(valid(nonces, nonce, new StunAddress().set(new InetSocketAddress("::1", 40000)), now));
    }

    @Test
    void madeUpTamperedOrForeignNoncesAreStale() throws Exception {
        long now = System.nanoTime();
        byte[] nonce = nonces.issue(CLIENT, now).clone();
        for (int i = 0; i < nonce.length; i++) {
            byte[] tampered = nonce.clone();
            tampered[i] = (byte) (tampered[i] == 'A' ? 'B' : 'A');
            assertFalse(valid(nonces, tampered, CLIENT, now), "changed at " + i);
        }
        assertFalse(valid(nonces, Arrays.copyOf(nonce, nonce.length - 1), CLIENT, now), "short");
        assertFalse(valid(nonces, "!".repeat(StatelessNonces.LENGTH).getBytes(), CLIENT, now), "not base64url");
        StatelessNonces otherRun = new StatelessNonces(LIFETIME, new SecureRandom());
        assertFalse(valid(otherRun, nonce, CLIENT, now), "another server or run: another secret");
        // checked before it was issued (its expiry more than a lifetime ahead): refused, whatever the MAC says
        assertFalse(valid(nonces, nonce, CLIENT, now - LIFETIME - 1));
    }

    /** Issuing keeps nothing: a nonce issued before a million others is still good, and the object has no table. */
    @Test
    void issuingCostsNoState() throws Exception {
        long now = System.nanoTime();
        byte[] first = nonces.issue(CLIENT, now).clone();
        StunAddress other = new StunAddress();
        byte[] ip = new byte[4];
        for (int i = 0; i < 1_000_000; i++) {
            ip[0] = 10;
            ip[1] = (byte) (i >>> 16);
            ip[2] = (byte) (i >>> 8);
            ip[3] = (byte) i;
            other.set(StunAddress.FAMILY_IPV4, ip, 0, 1000);
            nonces.issue(other, now);
        }
        assertTrue(valid(nonces, first, CLIENT, now));
        for (Field f : StatelessNonces.class.getDeclaredFields()) {
            if (!Modifier.isStatic(f.getModifiers())) {
                assertTrue(f.getType().isPrimitive() || f.getType() == byte[].class
                        || f.getType() == javax.crypto.Mac.class, "per-instance state of a fixed size only: " + f);
            }
        }
    }

    private static boolean valid(StatelessNonces n, byte[] nonce, StunAddress client, long now) throws Exception {
        ByteBuffer out = ByteBuffer.allocate(256);
        new StunEncoder().begin(out, TurnMethod.ALLOCATE, StunClass.REQUEST, new byte[12])
                .add(StunAttribute.NONCE, nonce).finish();
        StunMessage m = new StunMessage();
        m.decode(out);
        return n.isValid(m, m.indexOf(StunAttribute.NONCE), client, now);
    }
}
