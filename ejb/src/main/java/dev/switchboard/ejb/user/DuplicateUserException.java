package dev.switchboard.ejb.user;

import jakarta.ejb.ApplicationException;

/** The username is taken (HTTP 409). */
@ApplicationException(rollback = true)
public class DuplicateUserException extends RuntimeException {
    public DuplicateUserException(String username) {
        super("user '" + username + "' already exists");
    }
}
