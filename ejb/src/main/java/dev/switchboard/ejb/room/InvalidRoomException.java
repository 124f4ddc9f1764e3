package dev.switchboard.ejb.room;

import jakarta.ejb.ApplicationException;

/** Input that cannot make a valid room; the caller's fault (HTTP 400). */
@ApplicationException(rollback = true)
public class InvalidRoomException extends RuntimeException {
    public InvalidRoomException(String message) {
        super(message);
    }
}
