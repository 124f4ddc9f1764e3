package dev.switchboard.web.signal;

import dev.switchboard.connector.sfu.SfuAnswer;
import dev.switchboard.connector.sfu.SfuLimits;
import dev.switchboard.connector.sfu.SfuRefusal;
import dev.switchboard.connector.sfu.SfuServerOffer;
import jakarta.resource.ResourceException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A relay SFU as the contract describes it, in memory: sessions per room, a subscriber's view of the room's
 * publishers (never its own), a refresh that offers only when the view changed and no offer awaits an answer.
 * SDPs are plain text; one starting with "bad" is refused as BAD_OFFER. {@link #refuseNext} makes the next call
 * fail the way a relay can.
 */
final class FakeSfu implements SfuGateway {

    /** A session: whose, what role, and for a subscriber what its last offer showed and whether it was answered. */
    static final class Session {
        final String room;
        final String participant;
        final boolean publisher;
        int version;
        Set<String> offered = new HashSet<>();
        boolean awaitingAnswer;
        final Map<String, Integer> sizes = new HashMap<>();

        Session(String room, String participant, boolean publisher) {
            this.room = room;
            this.participant = participant;
            this.publisher = publisher;
        }
    }

    final Map<String, Session> sessions = new HashMap<>();
    final List<String> calls = new ArrayList<>();
    private ResourceException next;
    private int ids;

    synchronized void refuseNext(ResourceException e) {
        next = e;
    }

    private void check(String call) throws ResourceException {
        calls.add(call);
        ResourceException e = next;
        next = null;
        if (e != null) {
            throw e;
        }
    }

    synchronized List<String> calls() {
        return new ArrayList<>(calls);
    }

    synchronized long open(String room, boolean publisher) {
        return sessions.values().stream().filter(s -> s.room.equals(room) && s.publisher == publisher).count();
    }

    private Session session(String room, String id) throws SfuRefusal {
        Session s = sessions.get(id);
        if (s == null || !s.room.equals(room)) {
            throw new SfuRefusal(SfuRefusal.Reason.NO_SUCH_SESSION, "no session " + id);
        }
        return s;
    }

    private Set<String> view(Session sub) {
        Set<String> v = new HashSet<>();
        for (Session s : sessions.values()) {
            if (s.publisher && s.room.equals(sub.room) && !s.participant.equals(sub.participant)) {
                v.add(s.participant + "-v" + s.version);
            }
        }
        return v;
    }

    private static String offerSdp(Set<String> view) {
        return "v=0 offer " + new java.util.TreeSet<>(view);
    }

    @Override
    public synchronized SfuAnswer publish(String room, String participant, String sdp, SfuLimits limits)
            throws ResourceException {
        check("publish " + participant);
        if (sdp.startsWith("bad")) {
            throw new SfuRefusal(SfuRefusal.Reason.BAD_OFFER, "no BUNDLE group in the offer");
        }
        String id = "pub" + (++ids);
        sessions.put(id, new Session(room, participant, true));
        return new SfuAnswer(id, "v=0 answer " + id);
    }

    @Override
    public synchronized SfuAnswer republish(String room, String session, String sdp) throws ResourceException {
        check("republish " + session);
        Session s = session(room, session);
        if (sdp.startsWith("bad")) {
            throw new SfuRefusal(SfuRefusal.Reason.BAD_OFFER, "no BUNDLE group in the offer");
        }
        s.version++;
        return new SfuAnswer(session, "v=0 answer " + session + " v" + s.version);
    }

    @Override
    public synchronized SfuServerOffer subscribe(String room, String participant, SfuLimits limits)
            throws ResourceException {
        check("subscribe " + participant);
        String id = "sub" + (++ids);
        Session s = new Session(room, participant, false);
        sessions.put(id, s);
        s.offered = view(s);
        s.awaitingAnswer = true;
        return new SfuServerOffer(id, offerSdp(s.offered));
    }

    @Override
    public synchronized void answer(String room, String session, String sdp) throws ResourceException {
        check("answer " + session);
        Session s = session(room, session);
        if (sdp.startsWith("bad") || !s.awaitingAnswer) {
            throw new SfuRefusal(SfuRefusal.Reason.BAD_OFFER, "the answer does not fit the offer");
        }
        s.awaitingAnswer = false;
    }

    @Override
    public synchronized Optional<String> refresh(String room, String session) throws ResourceException {
        check("refresh " + session);
        Session s = session(room, session);
        Set<String> v = view(s);
        if (s.awaitingAnswer || v.equals(s.offered)) {
            return Optional.empty();
        }
        s.offered = v;
        s.awaitingAnswer = true;
        return Optional.of(offerSdp(v));
    }

    @Override
    public synchronized void videoSize(String room, String session, String track, int height) throws ResourceException {
        check("video-size " + session + " " + track + " " + height);
        session(room, session).sizes.put(track, height);
    }

    @Override
    public synchronized void close(String room, String session) throws ResourceException {
        check("close " + session);
        if (sessions.remove(session) == null) {
            throw new SfuRefusal(SfuRefusal.Reason.NO_SUCH_SESSION, "no session " + session);
        }
    }
}
