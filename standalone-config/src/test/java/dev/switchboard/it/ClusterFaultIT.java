package dev.switchboard.it;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Signaling through the loss of a node, on three nodes ({@link ClusterLab}, PostgreSQL) started once for the class:
 * a node frozen with SIGSTOP for 60 s then resumed, and a node killed with SIGKILL under 500 clients. The clients
 * ({@link SignalFleet}) behave as real ones: they take a dropped socket, or pongs that stop coming, for a dead node and
 * resume with their token on the other nodes in turn, with backoff. Prints what it measured (resume times, detection
 * and merge times, message counts).
 * <p>
 * The freeze runs first: the kill leaves two nodes, and a freeze of one of two would leave the other a partition that
 * lost half (its ticket cache refuses joins), which is not the case the freeze is about. Both tests' nodes run with a
 * resume grace, a signaling idle timeout and an HTTP read timeout of 180 s (the defaults are 30, 60 and 60 s): a 60 s
 * freeze would otherwise end the frozen node's sockets by its timers as it wakes (it read nothing for 60 s: seen, the
 * read timeout closed them, 1006, before the merge) and the away participants by their grace timer, and the fencing
 * this test checks (4435 on the woken node's stale sockets) would never come into play. Tickets live 600 s (default
 * 60 s), so that a used one tried again minutes later is refused as used, not as expired. A deployment that must ride out a freeze that long needs such settings too (docs/cluster.md,
 * "Fault tests").
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterFaultIT extends ClusterLabTest {

    private static final int ROOM_SIZE = 5;
    private static final Duration FREEZE = Duration.ofSeconds(60);
    /** Default failure detection finds a hung node in about 40-50 s (FD_ALL3); a loaded machine may take longer. */
    private static final Duration DETECTION = Duration.ofSeconds(120);
    /** From the thaw to one view of three on every node (MERGE3, then Infinispan's merge), generous. */
    private static final Duration MERGE = Duration.ofSeconds(180);
    /** Every orphan of the killed node resumed by then (the p99 target is 10 s; a loaded 2-core machine). */
    private static final Duration RESUME_BOUND = Duration.ofSeconds(60);
    /** For the REST views of the rooms to settle, for accepted messages to arrive. */
    private static final Duration SETTLE = Duration.ofSeconds(30);
    private static final Duration JOIN = Duration.ofSeconds(120);
    /** Each client sends one message every this many traffic ticks of 100 ms, at most so many in all. */
    private static final int EVERY_TICKS = 30;
    private static final int MAX_PER_CLIENT = 20;

    @BeforeAll
    static void startCluster() throws Exception {
        lab = ClusterLab.start(3, List.of("-Dswitchboard.signaling.resume-grace=180",
                "-Dswitchboard.signaling.idle-timeout=180", "-Dswitchboard.http.read-timeout=180000",
                "-Dswitchboard.signaling.ticket-lifetime=600"));
    }

    @Test
    @Order(1)
    @Disabled("Quarantined on an open defect it finds (docs/cluster.md, \"Fault tests\", (2)): a resume the client gave"
            + " up on while a peer is frozen can still consume its token, and that client's place is lost. Failed so in"
            + " CI on 2026-12-07 (one of eight movers never resumed); enable with the fix: keep the previous token valid"
            + " until the client is known to hold the new one.")
    void aNodeFrozenForAMinuteLosesItsClientsToTheOthersAndAfterTheMergeNoRoomIsOwnedTwice() throws Exception {
        ClusterLab.Node one = lab.node(0);
        ClusterLab.Node three = lab.node(2);
        try (SignalFleet fleet = fleet()) {
            Map<String, List<SignalFleet.Client>> rooms = rooms(fleet, 6);
            List<SignalFleet.Client> onThree = fleet.clients.stream().filter(c -> c.node == 2).toList();
            // two clients on node 3 that wait to be told (no pong watch): the ones the woken node must close itself
            List<SignalFleet.Client> stayers = onThree.subList(0, 2);
            List<SignalFleet.Client> movers = onThree.subList(2, onThree.size());
            stayers.forEach(c -> c.quiet = true);
            String usedOnThree = onThree.get(0).ticket;

            long frozenAt = System.nanoTime();
            long viewAt;
            long thawedAt;
            String usedDuringFreeze;
            List<SignalFleet.Sent> forStayers = new ArrayList<>();
            try {
                lab.freeze(three);
                awaitView(one, "(2)", DETECTION);
                viewAt = System.nanoTime();
                // node 3 is out of the view: a message for a stayer is not forwarded but queued, its member fenced
                for (SignalFleet.Client s : stayers) {
                    forStayers.add(awaitAccepted(fleet, rooms, s, DETECTION));
                }
                try (Joined j = joinOnce(one, Rooms.create(one.base(), Rooms.unique("frozen"), 4, "p2p"))) {
                    usedDuringFreeze = j.ticket();
                }
                long rest = frozenAt + FREEZE.toNanos() - System.nanoTime();
                if (rest > 0) {
                    Thread.sleep(rest / 1_000_000);
                }
            } finally {
                lab.thaw(three);
                thawedAt = System.nanoTime();
            }
            int resumedBeforeThaw = (int) movers.stream().filter(c -> c.live && c.resumedAt != 0 && c.resumedAt < thawedAt)
                    .count();

            for (ClusterLab.Node n : lab.nodes()) {
                awaitView(n, "(3)", MERGE);
            }
            long mergedAt = System.nanoTime();
            await("the stayers closed by node 3 and resumed", MERGE, stayers, c -> c.live && c.resumes > 0, fleet);
            await("the movers resumed", SETTLE, movers, c -> c.live && c.resumes > 0, fleet);
            await("every client live", SETTLE, fleet.clients, c -> c.live, fleet);
            await("the stayers' messages: " + forStayers, SETTLE,
                    () -> forStayers.stream().allMatch(m -> m.received.get() > 0));
            long settledAt = System.nanoTime();
            List<Long> moved = movers.stream().map(c -> c.resumedAt - frozenAt).sorted().toList();
            System.out.printf(Locale.ROOT, "[ClusterFaultIT] SIGSTOP of node3 for %d s, %d clients (%d on node3): "
                            + "node1's view dropped it after %.1f s; its %d watching clients resumed elsewhere %s after the "
                            + "freeze (%d before the thaw); one view of three %.1f s after the thaw; the 2 waiting clients "
                            + "resumed after node3 closed them, their queued messages received %s times%n",
                    FREEZE.toSeconds(), fleet.clients.size(), onThree.size(), seconds(viewAt - frozenAt), movers.size(),
                    summary(moved), resumedBeforeThaw, seconds(mergedAt - thawedAt),
                    forStayers.stream().map(m -> Integer.toString(m.received.get())).toList());
            System.out.printf(Locale.ROOT, "[ClusterFaultIT] after the merge: every client live %.1f s after the thaw;"
                    + " the waiting clients' closes: %s%n", seconds(settledAt - thawedAt),
                    stayers.stream().map(c -> c.closes.toString()).toList());
            assertEquals(List.of(), awaitListings(lab.nodes(), rooms), "rooms as each node lists them");
            newJoinsWorkOnEveryNode(); // so every node's ticket cache answers again: a used ticket is then refused as used
            for (ClusterLab.Node n : lab.nodes()) {
                assertEquals(4405, replayed(n, usedOnThree), "a ticket used on node 3 before the freeze, on " + n.name());
                assertEquals(4405, replayed(n, usedDuringFreeze), "a ticket used on node 1 during it, on " + n.name());
            }
            assertEquals(Set.of(), fleet.anomalies);
            for (SignalFleet.Client s : stayers) {
                assertTrue(s.closes.get(0).startsWith("4435 node-unresponsive"), "node 3 closed " + s + " as fenced");
            }
            for (SignalFleet.Client c : movers) {
                assertTrue(c.resumedOn != 2 && c.resumedAt > frozenAt, c + " moved to another node");
            }
        }
    }

    @Test
    @Order(2)
    void aNodeKilledUnder500ClientsTheOrphansResumeOnTheSurvivorsAndNoMessageIsLostOrDuplicated() throws Exception {
        ClusterLab.Node three = lab.node(2);
        try (SignalFleet fleet = fleet()) {
            long setupAt = System.nanoTime();
            Map<String, List<SignalFleet.Client>> rooms = rooms(fleet, 100);
            System.out.printf(Locale.ROOT, "[ClusterFaultIT] %d clients joined %d rooms on 3 nodes in %.1f s%n",
                    fleet.clients.size(), rooms.size(), seconds(System.nanoTime() - setupAt));
            try (Traffic traffic = new Traffic(fleet, rooms)) {
                Thread.sleep(EVERY_TICKS * 100L * 2); // every client has sent twice
                List<SignalFleet.Client> orphans = fleet.clients.stream().filter(c -> c.node == 2).toList();
                long killedAt = System.nanoTime();
                lab.kill(three);
                boolean all = poll(RESUME_BOUND.minusNanos(System.nanoTime() - killedAt), () -> orphans.stream()
                        .allMatch(c -> c.live && c.resumedAt > killedAt));
                List<Long> times = orphans.stream().filter(c -> c.resumedAt > killedAt)
                        .map(c -> c.resumedAt - killedAt).sorted().toList();
                System.out.printf(Locale.ROOT, "[ClusterFaultIT] SIGKILL of node3: %d of its %d clients resumed on "
                                + "node1/node2, time from the kill to resumed %s; %d resumes in all (survivors' clients "
                                + "that took a slow pong for a dead node included)%n", times.size(), orphans.size(),
                        summary(times), fleet.clients.stream().mapToInt(c -> c.resumes).sum());
                assertTrue(all, "not resumed within " + RESUME_BOUND.toSeconds() + " s of the kill: " + orphans.stream()
                        .filter(c -> !(c.live && c.resumedAt > killedAt)).limit(10).toList());
                for (SignalFleet.Client c : orphans) {
                    assertTrue(c.resumedOn == 0 || c.resumedOn == 1, c.toString());
                }
                Thread.sleep(3000); // traffic among the resumed
                traffic.stop();
                awaitDeliveries(fleet);

                Ledger ledger = new Ledger(fleet, orphans, killedAt);
                System.out.println("[ClusterFaultIT] messages across the kill: " + ledger + (fleet.seqSeen()
                        ? "; seq: " + fleet.seqDuplicatesDropped.get() + " duplicates dropped, " + fleet.seqGaps.get()
                        + " gaps" : "; the server sent no seq"));
                assertEquals(Set.of(), fleet.anomalies);
                assertEquals(List.of(), ledger.duplicated, "delivered more than once");
                // the server numbers its messages and keeps them until acked (docs/signaling.md): not even those it
                // had written to the killed node's sockets just before it died may be lost
                assertTrue(fleet.seqSeen(), "the server numbers the messages it delivers");
                assertEquals(List.of(), ledger.lostBesidesTheGap, "accepted, never delivered");
                assertEquals(List.of(), ledger.lost, "accepted, never delivered (in a killed node's socket buffers)");
            }
            assertEquals(List.of(), awaitListings(List.of(lab.node(0), lab.node(1)), rooms),
                    "rooms as the survivors list them");
            ticketsUsedBeforeTheKillAreRefused(fleet);
        }
    }

    /** Every message sent, by fate. */
    private static final class Ledger {
        final List<SignalFleet.Sent> duplicated = new ArrayList<>();
        final List<SignalFleet.Sent> lost = new ArrayList<>();
        final List<SignalFleet.Sent> lostBesidesTheGap = new ArrayList<>();
        final Map<String, Integer> refused = new TreeMap<>();
        int accepted;
        int unknown;
        int total;

        Ledger(SignalFleet fleet, List<SignalFleet.Client> orphans, long killedAt) {
            Set<SignalFleet.Client> orphaned = new HashSet<>(orphans);
            for (SignalFleet.Sent m : fleet.sent.values()) {
                total++;
                if (m.received.get() > 1) {
                    duplicated.add(m);
                }
                if (m.refused != null) {
                    refused.merge(m.refused, 1, Integer::sum);
                } else if (!m.accepted) {
                    unknown++; // its socket went before the pong came: the client cannot know
                } else {
                    accepted++;
                    if (m.received.get() == 0) {
                        lost.add(m);
                        if (!(orphaned.contains(m.to) && m.at < killedAt)) {
                            lostBesidesTheGap.add(m);
                        }
                    }
                }
            }
        }

        @Override
        public String toString() {
            return total + " sent, " + accepted + " accepted, refused " + refused + ", " + unknown
                    + " unconfirmed (the socket went first); " + lost.size() + " accepted and lost ("
                    + (lost.size() - lostBesidesTheGap.size()) + " for the killed node's clients, sent before the kill), "
                    + duplicated.size() + " duplicated" + (lost.isEmpty() ? "" : "; first lost: "
                    + lost.stream().limit(5).map(Object::toString).collect(Collectors.joining("; ")));
        }
    }

    /** Bounded test traffic: every client one message per {@link #EVERY_TICKS} ticks to the next in its room. */
    private static final class Traffic implements AutoCloseable {
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        private final AtomicLong tick = new AtomicLong();
        private final Map<SignalFleet.Client, Integer> counts = new java.util.concurrent.ConcurrentHashMap<>();

        Traffic(SignalFleet fleet, Map<String, List<SignalFleet.Client>> rooms) {
            timer.scheduleAtFixedRate(() -> {
                long t = tick.getAndIncrement();
                for (SignalFleet.Client c : fleet.clients) {
                    if (c.index % EVERY_TICKS == t % EVERY_TICKS && c.live
                            && counts.merge(c, 1, Integer::sum) <= MAX_PER_CLIENT) {
                        fleet.message(c, next(rooms, c));
                    }
                }
            }, 100, 100, TimeUnit.MILLISECONDS);
        }

        void stop() throws InterruptedException {
            timer.shutdown();
            timer.awaitTermination(10, TimeUnit.SECONDS);
        }

        @Override
        public void close() {
            timer.shutdownNow();
        }
    }

    /** Until every accepted message arrived, or nothing more arrived for 5 s (bounded by SETTLE); then 2 s more. */
    private static void awaitDeliveries(SignalFleet fleet) throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        long last = -1;
        long stillSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            if (fleet.sent.values().stream().noneMatch(m -> m.accepted && m.received.get() == 0)) {
                break;
            }
            long now = fleet.sent.values().stream().mapToLong(m -> m.received.get()).sum();
            if (now != last) {
                last = now;
                stillSince = System.nanoTime();
            } else if (System.nanoTime() - stillSince > 5_000_000_000L) {
                break;
            }
            Thread.sleep(200);
        }
        Thread.sleep(2000); // for late duplicates
    }

    private static SignalFleet fleet() {
        return new SignalFleet(lab.nodes().stream().map(ClusterLab.Node::signal).toList());
    }

    /**
     * {@code count} rooms of {@link #ROOM_SIZE}, each spanning the three nodes (member j of room r joins node
     * (r + j) mod 3), joined a few at a time with tickets of unique users.
     */
    private static Map<String, List<SignalFleet.Client>> rooms(SignalFleet fleet, int count) throws Exception {
        Map<String, List<SignalFleet.Client>> rooms = new LinkedHashMap<>();
        ClusterLab.Node one = lab.node(0);
        for (int r = 0; r < count; r++) {
            String room = Rooms.create(one.base(), Rooms.unique("owner" + r), ROOM_SIZE, "p2p");
            List<SignalFleet.Client> members = new ArrayList<>();
            for (int j = 0; j < ROOM_SIZE; j++) {
                members.add(fleet.add(room, Rooms.unique("user" + r + "-" + j), (r + j) % 3));
            }
            rooms.put(room, members);
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> joins = new ArrayList<>();
            for (SignalFleet.Client c : fleet.clients) {
                joins.add(pool.submit(() -> {
                    String ticket = Rooms.ticket(lab.node(c.node).base(), c.room, c.user);
                    return c.join(ticket).get(SignalFleet.ATTEMPT.toSeconds(), TimeUnit.SECONDS);
                }));
            }
            long deadline = System.nanoTime() + JOIN.toNanos();
            for (Future<?> f : joins) {
                f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        return rooms;
    }

    private static SignalFleet.Client next(Map<String, List<SignalFleet.Client>> rooms, SignalFleet.Client c) {
        List<SignalFleet.Client> members = rooms.get(c.room);
        return members.get((members.indexOf(c) + 1) % members.size());
    }

    /**
     * A message for {@code to} from a room mate live on node 1 or 2, sent again (by whoever is live then) until one is
     * accepted (bounded).
     */
    private static SignalFleet.Sent awaitAccepted(SignalFleet fleet, Map<String, List<SignalFleet.Client>> rooms,
                                                  SignalFleet.Client to, Duration bound) throws Exception {
        long deadline = System.nanoTime() + bound.toNanos();
        List<SignalFleet.Sent> tried = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            SignalFleet.Client from = rooms.get(to.room).stream().filter(c -> c != to && c.live && c.node != 2)
                    .findFirst().orElse(null);
            if (from != null) {
                SignalFleet.Sent s = fleet.message(from, to);
                tried.add(s);
                if (poll(Duration.ofSeconds(20), () -> s.accepted || s.refused != null) && s.accepted) {
                    return s;
                }
            }
            Thread.sleep(500);
        }
        throw new AssertionError("no message for " + to + " accepted: " + tried);
    }

    /** A client admitted with this ticket. */
    private record Joined(String ticket, SignalClient client) implements AutoCloseable {
        @Override
        public void close() {
            client.close();
        }
    }

    /** Joins a room on node {@code n} with a fresh ticket until admitted (bounded). */
    private static Joined joinOnce(ClusterLab.Node n, String room) throws Exception {
        long deadline = System.nanoTime() + JOIN.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            String ticket = Rooms.ticket(n.base(), room, Rooms.unique("joiner"));
            SignalClient c = null;
            try {
                c = SignalClient.connect(n.signal());
                c.send(ClusterBehaviour.join(room, ticket));
                JsonObject m = c.pollOfType("joined", new ArrayList<>(), Duration.ofSeconds(20));
                if (m != null) {
                    c.participant = m.getString("participant");
                    c.resumeToken = m.getString("resumeToken");
                    return new Joined(ticket, c);
                }
                last = c.isClosed() ? c.closed().toString() : "no answer";
                c.close();
            } catch (Exception e) {
                last = e.toString();
                if (c != null) {
                    c.close();
                }
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("no join on " + n.name() + " within " + JOIN.toSeconds() + " s: " + last);
    }

    /** The close code a join with an already used ticket gets on node {@code n}. */
    private static int replayed(ClusterLab.Node n, String ticket) throws Exception {
        String room = TestTickets.claims(ticket).getString("room");
        try (SignalClient c = SignalClient.connect(n.signal())) {
            c.send(ClusterBehaviour.join(room, ticket));
            return c.closed(Duration.ofSeconds(15)).code();
        } catch (java.util.concurrent.TimeoutException admitted) {
            return 0;
        }
    }

    /** After the merge, a join by ticket on each node, and a message from each node's newcomer to the next's. */
    private static void newJoinsWorkOnEveryNode() throws Exception {
        // room for a joiner whose answer was lost to a retry, so that the third still fits
        String room = Rooms.create(lab.node(0).base(), Rooms.unique("after"), 6, "p2p");
        List<Joined> in = new ArrayList<>();
        try {
            for (ClusterLab.Node n : lab.nodes()) {
                in.add(joinOnce(n, room)); // bounded retries: the woken node's ticket cache may still be merging
            }
            for (int i = 0; i < in.size(); i++) {
                SignalClient to = in.get((i + 1) % in.size()).client();
                in.get(i).client().send("{\"type\":\"candidate\",\"to\":\"" + to.participant
                        + "\",\"candidate\":{\"candidate\":\"after-merge-" + i + "\"}}");
                assertEquals("after-merge-" + i, to.nextOfType("candidate", new ArrayList<>())
                        .getJsonObject("candidate").getString("candidate"), "node" + (i + 1) + " to the next node");
            }
        } finally {
            in.forEach(Joined::close);
        }
    }

    /**
     * Tickets used to join before the kill, each tried again: every ticket of the killed node's clients (their
     * redeemed marks had to survive its loss) on a survivor, and some others on both survivors. Every one refused.
     */
    private static void ticketsUsedBeforeTheKillAreRefused(SignalFleet fleet) throws Exception {
        List<Object[]> tries = new ArrayList<>();
        for (SignalFleet.Client c : fleet.clients) {
            if (joinedOnThree(c)) {
                tries.add(new Object[] {c, lab.node(c.index % 2)});
            } else if (c.index % 25 == 0) {
                tries.add(new Object[] {c, lab.node(0)});
                tries.add(new Object[] {c, lab.node(1)});
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (Object[] t : tries) {
                SignalFleet.Client c = (SignalFleet.Client) t[0];
                ClusterLab.Node n = (ClusterLab.Node) t[1];
                results.add(pool.submit(() -> {
                    int code = replayed(n, c.ticket);
                    return code == 4405 ? null : "client " + c.index + "'s ticket on " + n.name() + ": " + code;
                }));
            }
            List<String> admitted = new ArrayList<>();
            for (Future<String> f : results) {
                String r = f.get(2, TimeUnit.MINUTES);
                if (r != null) {
                    admitted.add(r);
                }
            }
            System.out.println("[ClusterFaultIT] " + tries.size() + " used tickets tried again on the survivors");
            assertEquals(List.of(), admitted, "used tickets not refused as used");
        } finally {
            pool.shutdownNow();
        }
    }

    /** Member j of room r joined node (r + j) mod 3; the client's index is 5 r + j. */
    private static boolean joinedOnThree(SignalFleet.Client c) {
        return (c.index / ROOM_SIZE + c.index % ROOM_SIZE) % 3 == 2;
    }

    /**
     * What is wrong with the rooms as {@code nodes}' REST APIs list them, polled until nothing (bounded): each
     * participant listed once, connected, on the node its client's socket is on; nobody else.
     */
    private static List<String> awaitListings(List<ClusterLab.Node> nodes, Map<String, List<SignalFleet.Client>> rooms)
            throws Exception {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        List<String> problems;
        do {
            problems = listingProblems(nodes, rooms);
            if (problems.isEmpty()) {
                return problems;
            }
            Thread.sleep(1000);
        } while (System.nanoTime() < deadline);
        return problems.size() > 20 ? problems.subList(0, 20) : problems;
    }

    private static List<String> listingProblems(List<ClusterLab.Node> nodes, Map<String, List<SignalFleet.Client>> rooms)
            throws Exception {
        List<String> problems = new ArrayList<>();
        for (ClusterLab.Node n : nodes) {
            for (Map.Entry<String, List<SignalFleet.Client>> room : rooms.entrySet()) {
                HttpResponse<String> r = TestServer.requestTo(n.base(), "GET", "/api/rooms/" + room.getKey(), null,
                        Rooms.ROLES, "user,admin");
                if (r.statusCode() != 200) {
                    problems.add(n.name() + " " + room.getKey() + ": " + r.statusCode());
                    continue;
                }
                JsonArray listed = TestServer.object(r.body()).getJsonArray("participants");
                Map<String, JsonObject> byId = new LinkedHashMap<>();
                for (JsonValue v : listed) {
                    JsonObject p = v.asJsonObject();
                    if (byId.put(p.getString("id"), p) != null) {
                        problems.add(n.name() + " lists " + p.getString("id") + " twice in " + room.getKey());
                    }
                }
                for (SignalFleet.Client c : room.getValue()) {
                    JsonObject p = byId.remove(c.participant);
                    String where = "node" + (c.node + 1);
                    if (p == null) {
                        problems.add(n.name() + " does not list " + c);
                    } else if (!p.getString("node").equals(where) || p.getBoolean("away")) {
                        problems.add(n.name() + " lists " + c.participant + " as " + p + ", its socket is on " + where);
                    }
                }
                byId.keySet().forEach(id -> problems.add(n.name() + " lists a stranger " + id + " in " + room.getKey()));
            }
        }
        return problems;
    }

    /** Until node {@code n}'s view has this size, e.g. "(2)" (bounded). */
    private static void awaitView(ClusterLab.Node n, String size, Duration bound) throws Exception {
        long deadline = System.nanoTime() + bound.toNanos();
        String view = "";
        while (System.nanoTime() < deadline) {
            try {
                view = lab.view(n);
                if (view.contains(size)) {
                    return;
                }
            } catch (AssertionError e) { // the CLI could not reach a node still busy merging
                view = e.getMessage();
            }
            Thread.sleep(500);
        }
        throw new AssertionError(n.name() + "'s view never became " + size + " in " + bound.toSeconds() + " s: " + view);
    }

    /** Until every one of {@code clients} is so (bounded); the failure names those that are not. */
    private static void await(String what, Duration bound, List<SignalFleet.Client> clients,
                              java.util.function.Predicate<SignalFleet.Client> so, SignalFleet fleet)
            throws InterruptedException {
        if (!poll(bound, () -> clients.stream().allMatch(so))) {
            fail(what + ": not within " + bound.toSeconds() + " s: " + clients.stream().filter(so.negate()).toList()
                    + "; anomalies " + fleet.anomalies);
        }
    }

    private static void await(String what, Duration bound, BooleanSupplier done) throws InterruptedException {
        if (!poll(bound, done)) {
            fail(what + ": not within " + bound.toSeconds() + " s");
        }
    }

    private static boolean poll(Duration bound, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(100);
        }
        return true;
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static String summary(List<Long> nanos) {
        if (nanos.isEmpty()) {
            return "(none)";
        }
        List<Long> s = new ArrayList<>(nanos);
        Collections.sort(s);
        return String.format(Locale.ROOT, "p50 %.2f s, p95 %.2f s, p99 %.2f s, max %.2f s (n=%d)",
                seconds(s.get(s.size() / 2)), seconds(s.get(Math.min(s.size() - 1, s.size() * 95 / 100))),
                seconds(s.get(Math.min(s.size() - 1, s.size() * 99 / 100))), seconds(s.get(s.size() - 1)), s.size());
    }
}
