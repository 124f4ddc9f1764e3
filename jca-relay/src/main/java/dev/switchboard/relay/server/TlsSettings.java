package dev.switchboard.relay.server;

import dev.switchboard.relay.config.RelaySettings;
import dev.switchboard.relay.transport.TlsContext;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * TURN over TLS as the operator configures it: the ports, and where the key material is. The key material is either
 * a key store (by default the file WildFly's Elytron key-store {@code switchboard-tls} points at) or a PEM
 * certificate chain with its PKCS#8 key; PEM wins when given. Relative paths are resolved against
 * {@code baseDirectory} (the server's configuration directory in WildFly).
 *
 * @param ports              TLS listener ports (each on every bind address); empty turns TLS off
 * @param keyStore           key store path
 * @param keyStorePassword   its password, which is also the key's (as in an Elytron key store)
 * @param keyStoreType       e.g. PKCS12 or JKS
 * @param keyStoreAlias      the key entry to use; empty: the store's (only) key entry
 * @param certificate        PEM certificate chain, leaf first; empty unless PEM is used
 * @param privateKey         PEM PKCS#8 private key of the leaf; empty unless PEM is used
 * @param protocols          TLS versions offered
 * @param handshakeTimeout   how long a client has to finish its handshake
 * @param baseDirectory      what relative paths are relative to; null for the working directory
 */
public record TlsSettings(List<Integer> ports, String keyStore, String keyStorePassword, String keyStoreType,
                          String keyStoreAlias, String certificate, String privateKey, List<String> protocols,
                          Duration handshakeTimeout, Path baseDirectory) {

    /** The file the build generates (self-signed, for development) and the Elytron key-store points at. */
    public static final String DEFAULT_KEY_STORE = RelaySettings.TLS_KEY_STORE.defaultValue();
    public static final String DEFAULT_KEY_STORE_PASSWORD = RelaySettings.TLS_KEY_STORE_PASSWORD.defaultValue();
    public static final String DEFAULT_KEY_STORE_TYPE = RelaySettings.TLS_KEY_STORE_TYPE.defaultValue();

    /** No TLS listener. */
    public static final TlsSettings OFF = new TlsSettings(List.of(), DEFAULT_KEY_STORE, DEFAULT_KEY_STORE_PASSWORD,
            DEFAULT_KEY_STORE_TYPE, "", "", "", TlsContext.DEFAULT_PROTOCOLS, TlsContext.DEFAULT_HANDSHAKE_TIMEOUT,
            null);

    public TlsSettings {
        ports = List.copyOf(ports);
        for (int port : ports) {
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException("TLS port must be 1..65535, got " + port);
            }
        }
        if (ports.stream().distinct().count() != ports.size()) {
            throw new IllegalArgumentException("TLS ports are listed twice: " + ports);
        }
        keyStore = Objects.requireNonNullElse(keyStore, "").trim();
        keyStorePassword = Objects.requireNonNullElse(keyStorePassword, "");
        keyStoreType = Objects.requireNonNullElse(keyStoreType, "").trim();
        if (keyStoreType.isEmpty()) {
            keyStoreType = DEFAULT_KEY_STORE_TYPE;
        }
        keyStoreAlias = Objects.requireNonNullElse(keyStoreAlias, "").trim();
        certificate = Objects.requireNonNullElse(certificate, "").trim();
        privateKey = Objects.requireNonNullElse(privateKey, "").trim();
        if (certificate.isEmpty() != privateKey.isEmpty()) {
            throw new IllegalArgumentException("switchboard.tls.certificate and switchboard.tls.private-key go "
                    + "together: set both (PEM) or neither (key store)");
        }
        protocols = List.copyOf(protocols);
        if (protocols.isEmpty()) {
            throw new IllegalArgumentException("switchboard.tls.protocols must name at least one TLS version");
        }
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("the TLS handshake timeout must be positive");
        }
    }

    public boolean enabled() {
        return !ports.isEmpty();
    }

    /** True when the key material is PEM files rather than a key store. */
    public boolean usesPem() {
        return !certificate.isEmpty();
    }

    /** {@code path} made absolute against the base directory. */
    public Path resolve(String path) {
        Path p = Path.of(path);
        return p.isAbsolute() || baseDirectory == null ? p : baseDirectory.resolve(p);
    }

    /**
     * The operator's TLS settings from property values (see {@link RelaySettings}).
     *
     * @param properties    the value of a system property, or null where it is not set
     * @param baseDirectory what relative paths are relative to; null for the working directory
     */
    public static TlsSettings read(Function<String, String> properties, Path baseDirectory) {
        return new TlsSettings(RelaySettings.TURN_TLS_PORT.read(properties),
                RelaySettings.TLS_KEY_STORE.read(properties), RelaySettings.TLS_KEY_STORE_PASSWORD.read(properties),
                RelaySettings.TLS_KEY_STORE_TYPE.read(properties), RelaySettings.TLS_KEY_STORE_ALIAS.read(properties),
                RelaySettings.TLS_CERTIFICATE.read(properties), RelaySettings.TLS_PRIVATE_KEY.read(properties),
                RelaySettings.TLS_PROTOCOLS.read(properties), RelaySettings.TLS_HANDSHAKE_TIMEOUT.read(properties),
                baseDirectory);
    }
}
