package dev.switchboard.ejb.room;

import jakarta.ejb.ApplicationException;

/** The room does not exist, has expired, or belongs to another tenant (HTTP 404: we do not tell which). */
@ApplicationException(rollback = true)
public class NoSuchRoomException extends RuntimeException {
    public NoSuchRoomException(String id) {
        super("no room with id " + id);
    }
}
