package dev.switchboard.ejb.user;

import jakarta.ejb.ApplicationException;

/** The username is taken in the tenant (HTTP 409); another tenant's user of that name never clashes. */
@ApplicationException(rollback = true)
public class DuplicateUserException extends RuntimeException {
    public DuplicateUserException(String username) {
        super("user '" + username + "' already exists");
    }
}
