package dev.switchboard.relay.sfu.dtls;

import java.util.Arrays;
import java.util.Objects;

/**
 * The SRTP master keys and salts of one DTLS-SRTP session, split from the exported keying material in the order of
 * RFC 5764 §4.2: client write key, server write key, client write salt, server write salt. The client's protect
 * what the client sends (its RTP to us), the server's what we send. Arrays are copies owned by this record.
 */
public record SrtpKeyingMaterial(SrtpProfileId profile, byte[] clientKey, byte[] serverKey, byte[] clientSalt,
                                 byte[] serverSalt) {

    public SrtpKeyingMaterial {
        Objects.requireNonNull(profile, "profile");
        check("clientKey", clientKey, profile.keyLength());
        check("serverKey", serverKey, profile.keyLength());
        check("clientSalt", clientSalt, profile.saltLength());
        check("serverSalt", serverSalt, profile.saltLength());
        clientKey = clientKey.clone();
        serverKey = serverKey.clone();
        clientSalt = clientSalt.clone();
        serverSalt = serverSalt.clone();
    }

    /** Splits {@code exported} (exactly {@link SrtpProfileId#keyingMaterialLength()} bytes) in RFC 5764 order. */
    public static SrtpKeyingMaterial split(SrtpProfileId profile, byte[] exported) {
        if (exported.length != profile.keyingMaterialLength()) {
            throw new IllegalArgumentException("keying material for " + profile + " is "
                    + profile.keyingMaterialLength() + " bytes, got " + exported.length);
        }
        int k = profile.keyLength();
        int s = profile.saltLength();
        return new SrtpKeyingMaterial(profile, Arrays.copyOfRange(exported, 0, k),
                Arrays.copyOfRange(exported, k, 2 * k), Arrays.copyOfRange(exported, 2 * k, 2 * k + s),
                Arrays.copyOfRange(exported, 2 * k + s, 2 * k + 2 * s));
    }

    private static void check(String name, byte[] value, int length) {
        if (value == null || value.length != length) {
            throw new IllegalArgumentException(name + " must be " + length + " bytes");
        }
    }

    public byte[] clientKey() {
        return clientKey.clone();
    }

    public byte[] serverKey() {
        return serverKey.clone();
    }

    public byte[] clientSalt() {
        return clientSalt.clone();
    }

    public byte[] serverSalt() {
        return serverSalt.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SrtpKeyingMaterial m && profile == m.profile && Arrays.equals(clientKey, m.clientKey)
                && Arrays.equals(serverKey, m.serverKey) && Arrays.equals(clientSalt, m.clientSalt)
                && Arrays.equals(serverSalt, m.serverSalt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(profile, Arrays.hashCode(clientKey), Arrays.hashCode(serverKey));
    }

    /** Never prints key material. */
    @Override
    public String toString() {
        return "SrtpKeyingMaterial[" + profile + "]";
    }
}
