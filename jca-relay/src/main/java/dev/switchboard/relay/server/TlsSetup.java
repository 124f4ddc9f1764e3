package dev.switchboard.relay.server;

import dev.switchboard.relay.transport.TlsContext;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.List;

/**
 * Turns the operator's TLS settings into a {@link TlsContext}: loads the key store or the PEM pair, checks that there
 * is exactly one key to serve with, and builds the JDK's SSL context around it.
 */
public final class TlsSetup {

    /** Protects the in-memory copy of the key the JDK's key manager reads; never leaves this class. */
    private static final char[] MEMORY_PASSWORD = "switchboard-in-memory".toCharArray();

    private TlsSetup() {
    }

    /**
     * The context, or {@code null} when there is no key material at all: no PEM configured and the default key
     * store file absent (a fresh server without the generated store). A key store the operator named explicitly
     * must exist.
     *
     * @throws IOException              a file cannot be read, or a named key store does not exist
     * @throws GeneralSecurityException the material is unusable: wrong password, no key, key and certificate apart
     */
    public static Loaded load(TlsSettings settings) throws IOException, GeneralSecurityException {
        KeyStore store;
        String source;
        if (settings.usesPem()) {
            Path certificate = settings.resolve(settings.certificate());
            Path key = settings.resolve(settings.privateKey());
            store = fromPem(certificate, key);
            source = "PEM " + certificate + " + " + key;
        } else {
            Path file = settings.resolve(settings.keyStore());
            if (!Files.exists(file)) {
                if (settings.keyStore().equals(TlsSettings.DEFAULT_KEY_STORE)) {
                    return null;
                }
                throw new IOException("switchboard.tls.key-store " + file + " does not exist");
            }
            store = onlyEntry(keyStore(file, settings), settings.keyStoreAlias(),
                    settings.keyStorePassword().toCharArray(), file);
            source = settings.keyStoreType() + " key store " + file;
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, MEMORY_PASSWORD);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(keys.getKeyManagers(), null, null);
        List<X509Certificate> chain = chain(store);
        X509Certificate leaf = chain.get(0);
        TlsContext context = new TlsContext(ssl, settings.protocols(), settings.handshakeTimeout());
        return new Loaded(context, chain, source + ", certificate " + leaf.getSubjectX500Principal().getName()
                + " valid until " + leaf.getNotAfter().toInstant() + ", " + settings.protocols());
    }

    /** A usable context, the chain it presents (leaf first), and a line for the log saying where it came from. */
    public record Loaded(TlsContext context, List<X509Certificate> chain, String description) {
        public Loaded {
            chain = List.copyOf(chain);
        }
    }

    /** A one-entry in-memory store made of a PEM chain and key, so both kinds of material meet the same code. */
    static KeyStore fromPem(Path certificateFile, Path keyFile) throws IOException, GeneralSecurityException {
        List<X509Certificate> chain = PemFiles.certificates(certificateFile);
        PrivateKey key = PemFiles.privateKey(keyFile);
        PemFiles.checkPair(key, chain.get(0));
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("switchboard", key, MEMORY_PASSWORD, chain.toArray(Certificate[]::new));
        return store;
    }

    private static KeyStore keyStore(Path file, TlsSettings settings) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(settings.keyStoreType());
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, settings.keyStorePassword().toCharArray());
        } catch (IOException e) {
            // The JDK reports a wrong password as an IOException whose cause is an UnrecoverableKeyException.
            throw new IOException("cannot open " + settings.keyStoreType() + " key store " + file
                    + " (wrong switchboard.tls.key-store-password or type?): " + e.getMessage(), e);
        }
        return store;
    }

    /**
     * The store reduced to the key entry to serve with: the named alias, or the only key entry there is. A store
     * with several keys and no alias is refused rather than letting the JDK pick one.
     */
    private static KeyStore onlyEntry(KeyStore store, String alias, char[] password, Path file)
            throws GeneralSecurityException, IOException {
        List<String> keyAliases = new java.util.ArrayList<>();
        for (String a : Collections.list(store.aliases())) {
            if (store.isKeyEntry(a)) {
                keyAliases.add(a);
            }
        }
        String chosen;
        if (!alias.isEmpty()) {
            if (!keyAliases.contains(alias)) {
                throw new KeyStoreException(file + " has no key entry '" + alias + "'; its key entries: " + keyAliases);
            }
            chosen = alias;
        } else if (keyAliases.size() == 1) {
            chosen = keyAliases.get(0);
        } else if (keyAliases.isEmpty()) {
            throw new KeyStoreException(file + " holds no private key entry");
        } else {
            throw new KeyStoreException(file + " holds several keys " + keyAliases
                    + ": name one with switchboard.tls.key-store-alias");
        }
        Key key;
        try {
            key = store.getKey(chosen, password);
        } catch (GeneralSecurityException e) {
            throw new KeyStoreException("cannot read key '" + chosen + "' of " + file
                    + " with switchboard.tls.key-store-password (an Elytron store's key has the store's password): "
                    + e.getMessage(), e);
        }
        Certificate[] chain = store.getCertificateChain(chosen);
        if (!(key instanceof PrivateKey) || chain == null || chain.length == 0
                || !(chain[0] instanceof X509Certificate)) {
            throw new KeyStoreException("key entry '" + chosen + "' of " + file + " has no X.509 certificate chain");
        }
        KeyStore one = KeyStore.getInstance("PKCS12");
        one.load(null, null);
        one.setKeyEntry(chosen, key, MEMORY_PASSWORD, chain);
        return one;
    }

    private static List<X509Certificate> chain(KeyStore store) throws KeyStoreException {
        List<X509Certificate> chain = new java.util.ArrayList<>();
        for (Certificate c : store.getCertificateChain(store.aliases().nextElement())) {
            chain.add((X509Certificate) c);
        }
        return chain;
    }
}
