package dev.switchboard.web.signal.ticket;

import dev.switchboard.web.signal.protocol.CloseCode;

/** A ticket that does not admit: the close code says which way it failed. */
public class TicketException extends Exception {

    private final CloseCode closeCode;

    public TicketException(CloseCode closeCode, String message) {
        super(message, null, false, false);
        this.closeCode = closeCode;
    }

    public CloseCode closeCode() {
        return closeCode;
    }
}
