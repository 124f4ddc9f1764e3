package dev.switchboard.ejb.health;

import java.util.Map;

/**
 * One component's health.
 *
 * @param name   what was checked, e.g. {@code database} or {@code relay:stun-udp}
 * @param up     whether it works
 * @param detail a short human-readable explanation
 * @param data   the figures behind it, for tools (as MicroProfile Health's {@code data}); empty for most checks
 */
public record HealthCheck(String name, boolean up, String detail, Map<String, Object> data) {

    public HealthCheck {
        data = Map.copyOf(data);
    }

    public HealthCheck(String name, boolean up, String detail) {
        this(name, up, detail, Map.of());
    }
}
