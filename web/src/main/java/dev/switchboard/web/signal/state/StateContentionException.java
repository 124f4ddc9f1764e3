package dev.switchboard.web.signal.state;

/** A key changed under us on every one of many attempts; the caller answers "busy, try again". */
public class StateContentionException extends RuntimeException {
    public StateContentionException(String key) {
        super("state of " + key + " kept changing; try again");
    }
}
