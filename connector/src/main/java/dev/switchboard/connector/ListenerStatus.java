package dev.switchboard.connector;

import java.io.Serializable;

/**
 * What the relay says about one listener.
 *
 * @param name      stable name, e.g. {@code stun-udp} or {@code stun-tcp}
 * @param transport {@code udp}, {@code tcp} or {@code tls}
 * @param host      bound address as text
 * @param port      bound port
 * @param state     up, down or failed
 * @param detail    why it failed, or empty
 * @param counters  its counters at the time of the call
 */
public record ListenerStatus(String name, String transport, String host, int port, ListenerState state,
                             String detail, TrafficCounters counters) implements Serializable {

    public boolean isUp() {
        return state == ListenerState.UP;
    }
}
