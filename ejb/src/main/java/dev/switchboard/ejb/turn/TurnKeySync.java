package dev.switchboard.ejb.turn;

import dev.switchboard.ejb.user.UserService;
import jakarta.annotation.PostConstruct;
import jakarta.ejb.EJB;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Loads every active TURN key into the relay when the application starts, and again every minute, with the REST-API
 * user ids of deactivated users it must refuse: that both expires credentials on time and repairs a push or an
 * announcement ({@code AccessChanges}) that failed.
 */
@Startup
@Singleton
public class TurnKeySync {

    private static final Logger LOG = Logger.getLogger(TurnKeySync.class.getName());

    @EJB
    private TurnCredentialService credentials;

    @EJB
    private TurnKeyPublisher publisher;

    @EJB
    private UserService users;

    @PostConstruct
    void atStart() {
        sync();
    }

    @Schedule(minute = "*", hour = "*", persistent = false)
    void everyMinute() {
        sync();
    }

    private void sync() {
        try {
            String realm = publisher.realm();
            synchronized (TurnKeyPublisher.RELAY_KEYS) {
                publisher.replaceAll(credentials.activeKeys(realm));
                publisher.denyRestUsers(users.deactivatedRestUserIds());
            }
        } catch (Exception e) {
            LOG.log(Level.WARNING, "TURN key sync failed; the relay keeps its current keys", e);
        }
    }
}
