package dev.switchboard.relay.turn;

import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * What the {@link TurnServer}s of one relay, one per event loop, share: the configuration, the counters (summed over
 * loops by construction), the allocation quotas and ids, the relayed port pools and reservations, the rate limiter
 * for unauthenticated requests, the nonce secret, and which loop a CONNECTION-ID names. Each piece is thread-safe on
 * its own and none is touched per relayed packet (the counters' adders excepted, which take no lock): what a packet
 * touches is in the loop's server. The credential stores and the peer policy are in the configuration, and safe to
 * share already.
 */
final class TurnShared {

    final TurnConfig config;
    final TurnStats stats = new TurnStats();
    final SecureRandom random = new SecureRandom();
    final AllocationQuota quota;
    final RelayPortPool pool4;
    final RelayPortPool pool6;
    final Reservations reservations;
    /** Null when unauthenticated requests are not rate-limited. */
    final SharedRateLimiter limiter;
    final byte[] nonceSecret;
    /** Which loop's server holds the peer connection a CONNECTION-ID names. */
    final ConnectionIds connectionIds;
    /** Where an Allocate goes when the total quota is reached; the application replaces it, from any thread. */
    volatile AlternateServers alternates = AlternateServers.NONE;

    /** For the server of one loop alone. */
    TurnShared(TurnConfig config) {
        this(config, 1);
    }

    /** For the servers of {@code loops} event loops. */
    TurnShared(TurnConfig config, int loops) {
        this.config = Objects.requireNonNull(config, "config");
        this.connectionIds = new ConnectionIds(loops);
        this.quota = new AllocationQuota(config.maxAllocations(), config.maxAllocationsPerUser());
        this.pool4 = pool(config.relayAddress(false));
        this.pool6 = pool(config.relayAddress(true));
        this.reservations = new Reservations(config.reservationLifetime().toNanos(), random);
        this.limiter = config.hasRateLimit() ? new SharedRateLimiter(config, stats) : null;
        this.nonceSecret = StatelessNonces.secret(random);
    }

    private RelayPortPool pool(InetAddress address) {
        return address == null ? null : new RelayPortPool(address, config.minPort(), config.maxPort(), random);
    }
}
