package dev.switchboard.ejb.user;

import jakarta.ejb.ApplicationException;

/** No user with that id in the caller's tenant (HTTP 404): another tenant's user is reported the same way. */
@ApplicationException(rollback = true)
public class NoSuchUserException extends RuntimeException {
    public NoSuchUserException(long id) {
        super("no user with id " + id);
    }
}
