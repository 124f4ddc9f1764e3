package dev.switchboard.ejb.turn;

import jakarta.ejb.ApplicationException;

/** The credential (or its user) does not exist (HTTP 404). */
@ApplicationException(rollback = true)
public class NoSuchCredentialException extends RuntimeException {
    public NoSuchCredentialException(String message) {
        super(message);
    }
}
