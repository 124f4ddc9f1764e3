package dev.switchboard.web.signal.protocol;

import jakarta.json.JsonValue;

/** A message the server cannot act on; answered with an {@code error} message, the connection stays. */
public class ProtocolException extends Exception {

    private final ErrorCode code;
    private final transient JsonValue ref;

    public ProtocolException(ErrorCode code, JsonValue ref, String message) {
        super(message, null, false, false); // control flow for client mistakes: no stack trace
        this.code = code;
        this.ref = ref;
    }

    public ErrorCode code() {
        return code;
    }

    /** The client's {@code id} of the failed message, if it gave one (echoed in the error). */
    public JsonValue ref() {
        return ref;
    }
}
