package dev.switchboard.web.signal.state;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Who is in which room, each user's rooms, resume tokens and each participant's numbered, unacknowledged messages — over four
 * {@link StateMap}s. Every change is a compare-and-set on one key, retried when another writer got there first, so
 * concurrent joins, leaves and resumes (on one node or, later, on several) never lose each other's updates.
 */
public final class RoomState {

    private static final int MAX_ATTEMPTS = 1000;

    private final StateMap members;
    private final StateMap userRooms;
    private final StateMap resumeTokens;
    private final StateMap pending;

    /** What {@link #remove} took out, and who is left to tell. */
    public record Removed(Member member, List<Member> remaining) {
    }

    /** A participant a resume token points at. */
    public record Ref(String room, String participant) {
        String encode() {
            return room + "/" + participant;
        }

        static Ref decode(String s) {
            int slash = s.indexOf('/');
            return new Ref(s.substring(0, slash), s.substring(slash + 1));
        }
    }

    /** A message as numbered by {@link #keep}: its seq and its text as sent. */
    public record Numbered(long seq, String text) {
    }

    /**
     * @param members      room id → JSON array of members
     * @param userRooms    tenant/user → JSON array of room/participant refs
     * @param resumeTokens SHA-256 of a resume token → room/participant
     * @param pending      participant id → its {@link Kept} messages and sequence counter
     */
    public RoomState(StateMap members, StateMap userRooms, StateMap resumeTokens, StateMap pending) {
        this.members = members;
        this.userRooms = userRooms;
        this.resumeTokens = resumeTokens;
        this.pending = pending;
    }

    public List<Member> members(String room) {
        return StateJson.members(members.get(room));
    }

    public Optional<Member> find(String room, String participant) {
        return members(room).stream().filter(m -> m.id().equals(participant)).findFirst();
    }

    /**
     * Adds {@code m} unless the room already has {@code max} participants.
     *
     * @return the members before the join (whom to tell), or empty when the room is full
     */
    public Optional<List<Member>> join(String room, Member m, int max) {
        return update(members, room, null, current -> {
            List<Member> before = StateJson.members(current);
            if (before.size() >= max) {
                return Change.keep(Optional.empty());
            }
            List<Member> after = new ArrayList<>(before);
            after.add(m);
            return Change.to(StateJson.members(after), Optional.of(before));
        });
    }

    /**
     * Replaces one member by {@code f}'s result; {@code f} returns null to leave it as it is.
     *
     * @return the new member, or empty when there was no such member or {@code f} declined
     */
    public Optional<Member> update(String room, String participant, UnaryOperator<Member> f) {
        return update(members, room, null, current -> {
            List<Member> list = new ArrayList<>(StateJson.members(current));
            for (int i = 0; i < list.size(); i++) {
                if (list.get(i).id().equals(participant)) {
                    Member next = f.apply(list.get(i));
                    if (next == null) {
                        return Change.keep(Optional.<Member>empty());
                    }
                    list.set(i, next);
                    return Change.to(StateJson.members(list), Optional.of(next));
                }
            }
            return Change.keep(Optional.<Member>empty());
        });
    }

    /** Removes one member if {@code condition} holds for it; the room's key goes when its last member does. */
    public Optional<Removed> remove(String room, String participant, Predicate<Member> condition) {
        return update(members, room, null, current -> {
            List<Member> list = new ArrayList<>(StateJson.members(current));
            for (int i = 0; i < list.size(); i++) {
                Member m = list.get(i);
                if (m.id().equals(participant)) {
                    if (!condition.test(m)) {
                        break;
                    }
                    list.remove(i);
                    return Change.to(list.isEmpty() ? null : StateJson.members(list), Optional.of(new Removed(m, list)));
                }
            }
            return Change.keep(Optional.<Removed>empty());
        });
    }

    /** Empties a room, returning who was in it. */
    public List<Member> removeAll(String room) {
        String old = members.remove(room);
        return StateJson.members(old);
    }

    /** Records that a user holds one more place; false when they already hold {@code max}. */
    public boolean addUserRoom(String userKey, Ref ref, int max) {
        return update(userRooms, userKey, null, current -> {
            List<String> refs = new ArrayList<>(StateJson.strings(current));
            if (refs.size() >= max) {
                return Change.keep(false);
            }
            refs.add(ref.encode());
            return Change.to(StateJson.strings(refs), true);
        });
    }

    public void removeUserRoom(String userKey, Ref ref) {
        update(userRooms, userKey, null, current -> {
            List<String> refs = new ArrayList<>(StateJson.strings(current));
            if (!refs.remove(ref.encode())) {
                return Change.keep(null);
            }
            return Change.to(refs.isEmpty() ? null : StateJson.strings(refs), null);
        });
    }

    public int userRoomCount(String userKey) {
        return StateJson.strings(userRooms.get(userKey)).size();
    }

    /** @param lifespan null while the participant is connected; the grace period once it is away */
    public void putResume(String tokenHash, Ref ref, Duration lifespan) {
        resumeTokens.put(tokenHash, ref.encode(), lifespan);
    }

    public Optional<Ref> resume(String tokenHash) {
        return Optional.ofNullable(resumeTokens.get(tokenHash)).map(Ref::decode);
    }

    public void removeResume(String tokenHash) {
        resumeTokens.remove(tokenHash);
    }

    /**
     * Numbers a message for a participant and keeps it until acknowledged: the one place a sequence number is
     * handed out, so a message has one number however many nodes then write it. {@code stamp} makes the text as sent
     * from its number. When {@code max} are kept already, the oldest is dropped if {@code dropOldest} (it was handed to
     * a live socket), else nothing is kept and the result is empty.
     */
    public Optional<Numbered> keep(String participant, LongFunction<String> stamp, int max, boolean dropOldest) {
        return update(pending, participant, null, current -> {
            Kept k = Kept.decode(current);
            int over = k.messages().size() - max + 1;
            if (over > 0 && !dropOldest) {
                return Change.keep(Optional.<Numbered>empty());
            }
            String text = stamp.apply(k.next());
            return Change.to(k.append(text, Math.max(0, over)).encode(), Optional.of(new Numbered(k.next(), text)));
        });
    }

    /**
     * The client processed every message up to {@code seq}: they are no longer kept.
     *
     * @return false when {@code seq} is beyond the last number handed out (nothing changes)
     */
    public boolean acknowledge(String participant, long seq) {
        return update(pending, participant, null, current -> {
            Kept k = Kept.decode(current);
            if (seq > k.last()) {
                return Change.keep(false);
            }
            Kept after = k.ackedUpTo(seq);
            if (after.messages().size() == k.messages().size()) {
                return Change.keep(true); // an ack repeated, or nothing to trim: no write
            }
            return Change.to(after.encode(), true);
        });
    }

    /** The participant's counter and unacknowledged messages. */
    public Kept kept(String participant) {
        return Kept.decode(pending.get(participant));
    }

    /** The participant is gone: its counter and messages with it. */
    public void removePending(String participant) {
        pending.remove(participant);
    }

    public int pendingCount(String participant) {
        return kept(participant).messages().size();
    }

    // --- compare-and-set loop ---

    /** A decision on the current value: write {@code next} (null deletes) or keep it, and what to return. */
    private record Change<T>(boolean write, String next, T result) {
        static <T> Change<T> to(String next, T result) {
            return new Change<>(true, next, result);
        }

        static <T> Change<T> keep(T result) {
            return new Change<>(false, null, result);
        }
    }

    private static <T> T update(StateMap map, String key, Duration lifespan, Function<String, Change<T>> decide) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            String current = map.get(key);
            Change<T> c = decide.apply(current);
            if (!c.write()) {
                return c.result();
            }
            boolean done;
            if (current == null) {
                done = c.next() == null || map.putIfAbsent(key, c.next(), lifespan) == null;
            } else if (c.next() == null) {
                done = map.remove(key, current);
            } else {
                done = map.replace(key, current, c.next(), lifespan);
            }
            if (done) {
                return c.result();
            }
        }
        throw new StateContentionException(key);
    }
}
