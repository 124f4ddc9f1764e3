package dev.switchboard.relay.server;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a certificate chain and its private key from PEM files, as certbot, openssl and most CAs hand them out.
 * Keys must be unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY}); the older PKCS#1 and SEC1 forms are refused with the
 * command that converts them, rather than guessed at.
 */
public final class PemFiles {

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
    /** Tried in turn: the PKCS#8 structure names its algorithm, but the JDK offers no way to read it before parsing. */
    private static final String[] KEY_ALGORITHMS = {"RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS"};

    private PemFiles() {
    }

    /** Every certificate in {@code file}, leaf first as the file has them. */
    public static List<X509Certificate> certificates(Path file) throws IOException, CertificateException {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        List<X509Certificate> chain = new ArrayList<>();
        for (Block block : blocks(file)) {
            if (block.type().equals("CERTIFICATE")) {
                chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der())));
            }
        }
        if (chain.isEmpty()) {
            throw new CertificateException(file + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        return chain;
    }

    /** The one private key in {@code file} (RSA, EC, EdDSA). */
    public static PrivateKey privateKey(Path file) throws IOException, GeneralSecurityException {
        for (Block block : blocks(file)) {
            switch (block.type()) {
                case "PRIVATE KEY" -> {
                    return pkcs8(file, block.der());
                }
                case "RSA PRIVATE KEY", "EC PRIVATE KEY" -> throw new InvalidKeySpecException(file + " holds a "
                        + block.type().replace(" PRIVATE KEY", "") + " key in its legacy form; convert it to PKCS#8: "
                        + "openssl pkcs8 -topk8 -nocrypt -in " + file + " -out key.pem");
                case "ENCRYPTED PRIVATE KEY" -> throw new InvalidKeySpecException(file + " holds an encrypted key; "
                        + "store it unencrypted and readable by the server only: openssl pkcs8 -in " + file
                        + " -out key.pem");
                default -> {
                    // certificates or parameters next to the key: not ours to read here
                }
            }
        }
        throw new InvalidKeySpecException(file + " holds no PEM private key (-----BEGIN PRIVATE KEY-----)");
    }

    /**
     * Fails unless {@code key} belongs to {@code certificate}: a signature made with one must verify with the other.
     * Catches the classic mistake of a renewed certificate next to the old key before a client sees it.
     */
    public static void checkPair(PrivateKey key, X509Certificate certificate) throws GeneralSecurityException {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "RSASSA-PSS" -> "RSASSA-PSS";
            default -> key.getAlgorithm(); // Ed25519, Ed448, EdDSA sign without a separate digest
        };
        PublicKey publicKey = certificate.getPublicKey();
        if (!publicKey.getAlgorithm().equals(key.getAlgorithm())
                && !(publicKey.getAlgorithm().startsWith("Ed") && key.getAlgorithm().startsWith("Ed"))) {
            throw new InvalidKeySpecException("the private key is " + key.getAlgorithm() + " but the certificate's is "
                    + publicKey.getAlgorithm());
        }
        byte[] probe = new byte[32];
        new SecureRandom().nextBytes(probe);
        Signature signer = Signature.getInstance(algorithm);
        if (algorithm.equals("RSASSA-PSS")) {
            signer.setParameter(new java.security.spec.PSSParameterSpec("SHA-256", "MGF1",
                    java.security.spec.MGF1ParameterSpec.SHA256, 32, 1));
        }
        signer.initSign(key);
        signer.update(probe);
        byte[] signature = signer.sign();
        signer.initVerify(publicKey);
        signer.update(probe);
        if (!signer.verify(signature)) {
            throw new InvalidKeySpecException("the private key does not belong to the certificate "
                    + certificate.getSubjectX500Principal().getName());
        }
    }

    private static PrivateKey pkcs8(Path file, byte[] der) throws GeneralSecurityException {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (InvalidKeySpecException | java.security.NoSuchAlgorithmException notThisOne) {
                // try the next
            }
        }
        throw new InvalidKeySpecException(file + ": the PKCS#8 key is none of RSA, EC or EdDSA, or is damaged");
    }

    private static List<Block> blocks(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.ISO_8859_1);
        List<Block> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            try {
                out.add(new Block(m.group(1), Base64.getMimeDecoder().decode(m.group(2))));
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ": a PEM block (" + m.group(1) + ") is not valid base64");
            }
        }
        return out;
    }

    private record Block(String type, byte[] der) {
    }
}
