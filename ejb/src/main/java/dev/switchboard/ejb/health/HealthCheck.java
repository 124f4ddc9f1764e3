package dev.switchboard.ejb.health;

/**
 * One component's health.
 *
 * @param name   what was checked, e.g. {@code database} or {@code relay:stun-udp}
 * @param up     whether it works
 * @param detail a short human-readable explanation
 */
public record HealthCheck(String name, boolean up, String detail) {
}
