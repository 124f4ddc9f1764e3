package dev.switchboard.web.signal;

import java.util.function.Consumer;

/** One client socket as the signaling logic sees it; the WebSocket session in the server, a fake in tests. */
public interface Transport {

    /**
     * Sends one text message without blocking. {@code done} runs once when it was written (null) or failed; the
     * caller never has two sends in flight.
     */
    void send(String text, Consumer<Throwable> done);

    /** Starts the close handshake; the container reports the end of the socket separately. */
    void close(int code, String reason);
}
