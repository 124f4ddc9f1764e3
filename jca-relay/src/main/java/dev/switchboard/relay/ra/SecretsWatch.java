package dev.switchboard.relay.ra;

import dev.switchboard.relay.config.RelaySettings;
import dev.switchboard.relay.server.RelayServer;

import java.util.List;
import java.util.Objects;
import java.util.TimerTask;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Rotates the TURN REST-API secrets while the relay runs: when the system property {@link RelaySettings#TURN_SECRETS}
 * changes (the management CLI's
 * {@code /system-property=switchboard.turn.secrets:write-attribute(name=value,value="new,old")} takes effect at once,
 * without a reload), the running relay takes the new list. A redeploy would do it too, but it
 * ends every allocation, which is what several secrets at once are there to avoid. Checked on a timer, never on the
 * packet path; the property's value at start is the one the adapter was configured with, so nothing changes until
 * an operator changes it.
 */
final class SecretsWatch extends TimerTask {

    static final String PROPERTY = RelaySettings.TURN_SECRETS.property();
    static final long PERIOD_MILLIS = 1000;

    private static final Logger LOG = Logger.getLogger(SecretsWatch.class.getName());

    private final RelayServer relay;
    private final Function<String, String> properties;
    private String seen;

    /** @param properties reads a system property ({@code System::getProperty}) */
    SecretsWatch(RelayServer relay, Function<String, String> properties) {
        this.relay = relay;
        this.properties = properties;
        this.seen = properties.apply(PROPERTY);
    }

    @Override
    public void run() {
        String now = properties.apply(PROPERTY);
        if (Objects.equals(now, seen)) {
            return;
        }
        seen = now;
        try {
            List<String> secrets = now == null ? List.of() : RelaySettings.TURN_SECRETS.parse(now);
            relay.rotateRestSecrets(secrets);
            int n = secrets.size();
            LOG.info(() -> n == 0 ? PROPERTY + " was removed: TURN REST-API credentials now use a random secret of"
                    + " this start" : PROPERTY + " changed: TURN REST-API credentials now accept " + n + " secret(s),"
                    + " minted with the first");
        } catch (RuntimeException e) {
            LOG.warning(() -> PROPERTY + " changed to an unusable value, the secrets in force are kept: "
                    + e.getMessage());
        }
    }
}
