package dev.switchboard.relay.transport;

/** The transport a client reached us over; part of the 5-tuple that identifies TURN allocations later. */
public enum Protocol {
    UDP,
    TCP,
    TLS;

    /** True for byte-stream transports, where messages need framing and replies go back on the connection. */
    public boolean isStream() {
        return this != UDP;
    }
}
