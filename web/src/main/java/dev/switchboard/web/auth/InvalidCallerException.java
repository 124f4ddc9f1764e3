package dev.switchboard.web.auth;

/** Dev-mode headers that name no valid user, tenant or role (HTTP 400). */
public class InvalidCallerException extends RuntimeException {
    public InvalidCallerException(String message) {
        super(message);
    }
}
