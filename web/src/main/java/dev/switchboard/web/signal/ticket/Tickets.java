package dev.switchboard.web.signal.ticket;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.switchboard.web.signal.protocol.CloseCode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;

/**
 * Join tickets: short-lived HS256 JWTs for one user and one room. A browser WebSocket cannot send an
 * Authorization header, so the REST API (where the caller is authenticated) hands out a ticket and the socket
 * presents it in its {@code join} message.
 */
public final class Tickets {

    public static final String ISSUER = "switchboard";
    public static final String AUDIENCE = "switchboard-signaling";
    /** Tolerated clock difference between the node that issued a ticket and the one that checks it. */
    public static final Duration CLOCK_SKEW = Duration.ofSeconds(5);

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A signed ticket and when it stops admitting. */
    public record Issued(String token, Instant expiresAt) {
    }

    /**
     * What a valid ticket says.
     *
     * @param id        what makes the ticket single-use (see {@link UsedTickets}): its {@code jti}, or, for a ticket
     *                  minted elsewhere without one (or with an oversized one), a hash of the whole ticket
     * @param expiresAt its {@code exp}
     */
    public record Claims(String user, String tenant, String room, String id, Instant expiresAt) {
    }

    /** Longer {@code jti}s are replaced by the ticket's hash: the id becomes a cache key. */
    static final int MAX_ID_LENGTH = 128;

    private final MACSigner signer;
    private final MACVerifier verifier;
    private final Duration lifetime;
    private final Clock clock;

    private Tickets(byte[] key, Duration lifetime, Clock clock) {
        try {
            this.signer = new MACSigner(key);
            this.verifier = new MACVerifier(key);
        } catch (JOSEException e) {
            throw new IllegalArgumentException("HS256 needs a 256-bit key", e);
        }
        this.lifetime = lifetime;
        this.clock = clock;
    }

    /**
     * @param secret the shared secret (every node of a cluster needs the same), or null for a random key that lives
     *               as long as this instance — fine on one node, tickets of another node or instance do not verify.
     *               The HMAC key is SHA-256 of the secret's UTF-8, so a secret of any length gives a full-size key.
     */
    public static Tickets create(String secret, Duration lifetime, Clock clock) {
        byte[] key = new byte[32];
        if (secret == null || secret.isEmpty()) {
            RANDOM.nextBytes(key);
        } else {
            key = sha256(secret.getBytes(StandardCharsets.UTF_8));
        }
        return new Tickets(key, lifetime, clock);
    }

    public Duration lifetime() {
        return lifetime;
    }

    public Issued issue(String room, String user, String tenant) {
        Instant now = clock.instant();
        Instant expires = now.plus(lifetime);
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .subject(user)
                .claim("room", room)
                .claim("tenant", tenant)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(expires))
                .jwtID(randomId())
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a ticket", e);
        }
        return new Issued(jwt.serialize(), expires);
    }

    /**
     * @param room the room the client asks to join
     * @throws TicketException with {@link CloseCode#TICKET_INVALID}, {@link CloseCode#TICKET_EXPIRED} or
     *                         {@link CloseCode#TICKET_WRONG_ROOM}
     */
    public Claims verify(String token, String room) throws TicketException {
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException | RuntimeException e) {
            throw new TicketException(CloseCode.TICKET_INVALID, "not a signed JWT");
        }
        // only our algorithm: refuses "none" and keys meant for another algorithm
        if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())) {
            throw new TicketException(CloseCode.TICKET_INVALID, "wrong algorithm");
        }
        try {
            if (!jwt.verify(verifier)) {
                throw new TicketException(CloseCode.TICKET_INVALID, "bad signature");
            }
        } catch (JOSEException e) {
            throw new TicketException(CloseCode.TICKET_INVALID, "bad signature");
        }
        List<String> audience = claims.getAudience();
        if (!ISSUER.equals(claims.getIssuer()) || audience == null || !audience.contains(AUDIENCE)) {
            throw new TicketException(CloseCode.TICKET_INVALID, "not a signaling ticket");
        }
        String user = claims.getSubject();
        String tenant = stringClaim(claims, "tenant");
        String ticketRoom = stringClaim(claims, "room");
        Date exp = claims.getExpirationTime();
        if (user == null || user.isEmpty() || tenant == null || ticketRoom == null || exp == null) {
            throw new TicketException(CloseCode.TICKET_INVALID, "claims missing");
        }
        Instant now = clock.instant();
        if (now.isAfter(exp.toInstant().plus(CLOCK_SKEW))) {
            throw new TicketException(CloseCode.TICKET_EXPIRED, "ticket expired");
        }
        Date iat = claims.getIssueTime();
        if (iat != null && iat.toInstant().isAfter(now.plus(CLOCK_SKEW))) {
            throw new TicketException(CloseCode.TICKET_INVALID, "ticket issued in the future");
        }
        if (!ticketRoom.equals(room)) {
            throw new TicketException(CloseCode.TICKET_WRONG_ROOM, "ticket is for another room");
        }
        return new Claims(user, tenant, ticketRoom, id(claims.getJWTID(), token), exp.toInstant());
    }

    private static String id(String jti, String token) {
        if (jti != null && !jti.isEmpty() && jti.length() <= MAX_ID_LENGTH) {
            return "jti:" + jti;
        }
        // a ticket of another minter without a usable jti: the same bytes are the same ticket
        return "sha256:" + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(sha256(token.getBytes(StandardCharsets.UTF_8)));
    }

    private static String stringClaim(JWTClaimsSet claims, String name) {
        Object v = claims.getClaim(name);
        return v instanceof String s ? s : null;
    }

    private static String randomId() {
        byte[] b = new byte[12];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static byte[] sha256(byte[] in) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(in);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
