package dev.switchboard.ejb.apikey;

import jakarta.ejb.ApplicationException;

/** Bad input for an API key (HTTP 400). */
@ApplicationException(rollback = true)
public class InvalidApiKeyException extends RuntimeException {
    public InvalidApiKeyException(String message) {
        super(message);
    }
}
