package dev.switchboard.relay.sfu.sdp;

/**
 * An attribute the model does not interpret, kept as written so that it survives a parse and a write: a flag
 * ({@code a=rtcp-mux-only}, value null) or a property ({@code a=rtcp:9 IN IP4 0.0.0.0}, value after the colon).
 */
public record Attribute(String name, String value) {

    String sdp() {
        return "a=" + Text.checked(name) + (value == null ? "" : ":" + Text.checked(value));
    }
}
