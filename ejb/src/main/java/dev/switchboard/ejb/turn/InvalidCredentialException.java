package dev.switchboard.ejb.turn;

import jakarta.ejb.ApplicationException;

/** Input that cannot make a valid credential (HTTP 400). */
@ApplicationException(rollback = true)
public class InvalidCredentialException extends RuntimeException {
    public InvalidCredentialException(String message) {
        super(message);
    }
}
