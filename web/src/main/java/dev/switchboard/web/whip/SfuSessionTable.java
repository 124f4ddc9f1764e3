package dev.switchboard.web.whip;

import dev.switchboard.connector.sfu.SfuRole;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The WHIP and WHEP sessions this node opened: which room and endpoint each belongs to, who opened it, and the ICE
 * ufrag of its offer. A PATCH needs them (a session of another room or endpoint is 404; another ufrag is an ICE restart), and
 * the relay's contract answers neither. Bounded: past {@link #MAX_SESSIONS} the oldest entry is forgotten (its
 * session lives on in the relay; only its PATCHes become 404), so sessions the relay ended by itself (consent
 * expired) cannot grow the table without limit. Thread-safe; one per application (a CDI bean).
 */
@ApplicationScoped
public class SfuSessionTable {

    /** Far above what one relay serves at once; at ~200 bytes an entry, a few MiB at most. */
    public static final int MAX_SESSIONS = 65_536;

    /**
     * @param participant who opened it, as the relay labels it ({@link SfuEndpoint#participant}): with the room's
     *                    owner and the tenant's admins, the only caller who may PATCH or DELETE it
     * @param offerUfrag  the offer's {@code a=ice-ufrag}, or null
     */
    public record Session(String roomId, SfuRole role, String participant, String offerUfrag) {
    }

    private final int max;
    private final Map<String, Session> sessions;

    public SfuSessionTable() {
        this(MAX_SESSIONS);
    }

    SfuSessionTable(int max) {
        this.max = max;
        this.sessions = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Session> eldest) {
                return size() > SfuSessionTable.this.max;
            }
        };
    }

    public synchronized void put(String sessionId, Session session) {
        sessions.put(sessionId, session);
    }

    /** The session if it is in {@code roomId} and of {@code role}. */
    public synchronized Optional<Session> find(String sessionId, String roomId, SfuRole role) {
        Session s = sessions.get(sessionId);
        return s != null && s.roomId().equals(roomId) && s.role() == role ? Optional.of(s) : Optional.empty();
    }

    /** Whether the table knows {@code sessionId} as a session of another room or endpoint. */
    public synchronized boolean knownElsewhere(String sessionId, String roomId, SfuRole role) {
        Session s = sessions.get(sessionId);
        return s != null && (!s.roomId().equals(roomId) || s.role() != role);
    }

    public synchronized void remove(String sessionId) {
        sessions.remove(sessionId);
    }

    public synchronized int size() {
        return sessions.size();
    }
}
