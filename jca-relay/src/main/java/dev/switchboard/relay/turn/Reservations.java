package dev.switchboard.relay.turn;

import dev.switchboard.relay.transport.EventLoop;
import dev.switchboard.relay.transport.LoopTimer;

import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.random.RandomGenerator;

/**
 * Relayed ports held for a later Allocate (EVEN-PORT with the R bit, RFC 8656 §7.2): each is named by a random
 * 8-byte RESERVATION-TOKEN and held by a bound placeholder socket until it is used or its timer (at least 30 s)
 * runs out. Shared by the TURN servers of a relay's loops, as the Allocate that uses a token may come in on
 * another loop than the one that reserved it (another 5-tuple): a lock of its own, taken on Allocate only. A
 * reservation's timer runs on the loop that made it.
 */
final class Reservations {

    /** A held port. */
    static final class Reservation {
        final long token;
        final RelayPortPool pool;
        final int port;
        final DatagramChannel placeholder;
        final EventLoop loop;
        LoopTimer timer;

        Reservation(long token, RelayPortPool pool, int port, DatagramChannel placeholder, EventLoop loop) {
            this.loop = loop;
            this.token = token;
            this.pool = pool;
            this.port = port;
            this.placeholder = placeholder;
        }
    }

    private final long lifetimeNanos;
    private final RandomGenerator random;
    private final HashMap<Long, Reservation> byToken = new HashMap<>();

    Reservations(long lifetimeNanos, RandomGenerator random) {
        this.lifetimeNanos = lifetimeNanos;
        this.random = random;
    }

    /** Holds {@code port} of {@code pool} (its placeholder already bound); returns the token. On {@code loop}. */
    synchronized long add(EventLoop loop, RelayPortPool pool, int port, DatagramChannel placeholder) {
        long token;
        do {
            token = random.nextLong();
        } while (byToken.containsKey(token));
        Reservation r = new Reservation(token, pool, port, placeholder, loop);
        r.timer = loop.newTimer(() -> expire(r));
        r.timer.scheduleAt(System.nanoTime() + lifetimeNanos);
        byToken.put(token, r);
        return token;
    }

    /** The reservation of {@code token}, left in place; {@code null} if there is none. */
    synchronized Reservation peek(long token) {
        return byToken.get(token);
    }

    /** Takes the reservation of {@code token} out, for use; {@code null} if there is none (508). */
    synchronized Reservation take(long token) {
        Reservation r = byToken.remove(token);
        if (r != null && r.loop.inEventLoop()) {
            r.timer.cancel(); // on another loop it fires on its own and finds the reservation gone
        }
        return r;
    }

    /** Frees every port held by {@code loop}'s server (its shutdown, or its loop's end). */
    synchronized void clear(EventLoop loop) {
        for (Reservation r : new ArrayList<>(byToken.values())) {
            if (r.loop == loop) {
                expire(r);
            }
        }
    }

    private synchronized void expire(Reservation r) {
        if (byToken.remove(r.token, r)) {
            r.timer.cancel();
            r.pool.releaseReservation(r.port, r.placeholder);
        }
    }
}
