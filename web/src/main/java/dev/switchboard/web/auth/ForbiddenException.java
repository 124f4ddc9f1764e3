package dev.switchboard.web.auth;

/** An authenticated caller that may not do this (HTTP 403). */
public class ForbiddenException extends RuntimeException {
    public ForbiddenException(String message) {
        super(message);
    }
}
