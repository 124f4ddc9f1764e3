package dev.switchboard.ejb.apikey;

import jakarta.ejb.ApplicationException;

/** No API key with that id in the caller's tenant (HTTP 404). */
@ApplicationException(rollback = true)
public class NoSuchApiKeyException extends RuntimeException {
    public NoSuchApiKeyException(long id) {
        super("no API key with id " + id);
    }
}
