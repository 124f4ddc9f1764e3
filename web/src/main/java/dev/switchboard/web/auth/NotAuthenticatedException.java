package dev.switchboard.web.auth;

/** No authenticated caller, and dev mode is off (HTTP 401). */
public class NotAuthenticatedException extends RuntimeException {
    public NotAuthenticatedException(String message) {
        super(message);
    }
}
