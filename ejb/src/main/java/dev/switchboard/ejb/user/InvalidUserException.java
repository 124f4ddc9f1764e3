package dev.switchboard.ejb.user;

import jakarta.ejb.ApplicationException;

/** Input that cannot make a valid user; the caller's fault (HTTP 400). Rolls the transaction back. */
@ApplicationException(rollback = true)
public class InvalidUserException extends RuntimeException {
    public InvalidUserException(String message) {
        super(message);
    }
}
