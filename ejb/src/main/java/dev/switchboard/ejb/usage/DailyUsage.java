package dev.switchboard.ejb.usage;

import java.time.LocalDate;

/**
 * TURN usage of one username on one UTC day (allocations that ended that day).
 *
 * @param username         the TURN username; REST-API usernames ({@code expiry:user}) are reported per user id
 * @param day              the UTC day
 * @param allocations      allocations that ended that day
 * @param packetsToPeers   packets relayed client → peers
 * @param bytesToPeers     bytes relayed client → peers
 * @param packetsFromPeers packets relayed peers → client
 * @param bytesFromPeers   bytes relayed peers → client
 */
public record DailyUsage(String username, LocalDate day, long allocations, long packetsToPeers, long bytesToPeers,
                         long packetsFromPeers, long bytesFromPeers) {

    /** Adds another row of the same user and day (REST usernames with different expiries fold into one user). */
    DailyUsage plus(DailyUsage o) {
        return new DailyUsage(username, day, allocations + o.allocations, packetsToPeers + o.packetsToPeers,
                bytesToPeers + o.bytesToPeers, packetsFromPeers + o.packetsFromPeers, bytesFromPeers + o.bytesFromPeers);
    }

    /** The user a TURN username stands for: {@code 1893456000:alice} is alice; a plain username is itself. */
    public static String userOf(String turnUsername) {
        int colon = turnUsername.indexOf(':');
        if (colon > 0 && turnUsername.substring(0, colon).chars().allMatch(Character::isDigit)) {
            return turnUsername.substring(colon + 1);
        }
        return turnUsername;
    }
}
