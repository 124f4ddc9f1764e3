package dev.switchboard.web.signal.ticket;

import dev.switchboard.web.signal.protocol.CloseCode;
import dev.switchboard.web.signal.state.StateMap;
import dev.switchboard.web.signal.state.StateUnavailableException;

import java.time.Clock;
import java.time.Duration;

/**
 * Makes join tickets single-use: the first join that presents a ticket redeems it, any later one is refused with
 * {@link CloseCode#TICKET_USED}. A ticket is a bearer credential that travels through pages, logs and proxies for
 * up to its lifetime; single use means a copied ticket admits no second participant.
 * <p>
 * The ids live in the {@code used-tickets} cache only as long as the ticket could still pass
 * {@link Tickets#verify} (its {@code exp} plus the clock skew): after that the expiry check refuses it anyway, so
 * the cache stays as small as the tickets issued in one lifetime. {@code putIfAbsent} decides between two sockets
 * racing with the same ticket (and between nodes, once the cache is replicated).
 */
public final class UsedTickets {

    private final StateMap used;
    private final Clock clock;

    /** @param used ticket id → the room it admitted to (for whoever looks into the cache) */
    public UsedTickets(StateMap used, Clock clock) {
        this.used = used;
        this.clock = clock;
    }

    /**
     * Records the ticket as used.
     *
     * @throws TicketException with {@link CloseCode#TICKET_USED} when it was used before, with
     *                         {@link CloseCode#CLUSTER_DEGRADED} when this node's cluster partition may not decide
     *                         (the ticket is then not spent: another node takes it)
     */
    public void redeem(Tickets.Claims ticket) throws TicketException {
        Duration left = Duration.between(clock.instant(), ticket.expiresAt().plus(Tickets.CLOCK_SKEW));
        if (left.compareTo(Duration.ofSeconds(1)) < 0) {
            left = Duration.ofSeconds(1); // verify() admitted it just now, so it is at most a moment from expiring
        }
        String before;
        try {
            before = used.putIfAbsent(ticket.id(), ticket.room(), left);
        } catch (StateUnavailableException e) {
            throw new TicketException(CloseCode.CLUSTER_DEGRADED,
                    "this node is cut off from most of the cluster; join on another node");
        }
        if (before != null) {
            throw new TicketException(CloseCode.TICKET_USED, "this ticket was used already; get a new one");
        }
    }
}
