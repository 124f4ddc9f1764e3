package dev.switchboard.it;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many signaling clients that behave as a real one does when its node goes: on a dropped socket, or when pongs stop
 * coming, each resumes with its token on the other nodes in turn, with backoff. Cheap enough for hundreds: one
 * {@link HttpClient} with a small executor for every socket, two timer threads for all of them, nothing that blocks
 * per client. Every test message carries a unique id, and a ledger records what was sent, what the server accepted
 * and what arrived where, so a test can tell lost and duplicated messages apart from messages that never got in.
 * <p>
 * A message counts as accepted when the pong to the ping sent right behind it on the same socket came back with no
 * error in between: a socket's messages are handled one at a time, so that pong means the server has delivered or
 * queued the message. The client follows the sequence-number contract when the server speaks it (messages carry
 * {@code seq}): it drops a seq it has processed, acknowledges cumulatively and resumes with {@code lastSeq}; messages
 * without {@code seq} are counted as they come.
 */
final class SignalFleet implements AutoCloseable {

    static final Duration CONNECT = Duration.ofSeconds(5);
    /**
     * One join or resume attempt, from the connect to its answer. A node that took the upgrade is alive, so the client
     * waits for its answer longer than a cluster write may stall there (Infinispan's lock and remote timeouts, 15 and
     * 17.5 s, while a peer is frozen): a resume the client gives up on may still succeed on the server, which then
     * has replaced the resume token in an answer nobody reads (docs/cluster.md, "Fault tests"). A frozen node never
     * completes the upgrade, which {@link #CONNECT} bounds.
     */
    static final Duration ATTEMPT = Duration.ofSeconds(45);
    static final Duration HEARTBEAT = Duration.ofSeconds(5);
    /** No pong for this long: the node is taken for dead (a frozen node keeps its sockets open). */
    static final Duration LIVENESS = Duration.ofSeconds(15);
    /** Resume attempts after the first go at once, then after these pauses (ms), the last repeated (as LiveKit). */
    private static final long[] BACKOFF = {0, 300, 1200, 2700, 4800};

    /** A message a client sent. */
    static final class Sent {
        final long id;
        final Client from;
        final Client to;
        final int node;
        final long at = System.nanoTime();
        volatile boolean accepted;
        volatile String refused;
        final AtomicInteger received = new AtomicInteger();

        Sent(long id, Client from, Client to, int node) {
            this.id = id;
            this.from = from;
            this.to = to;
            this.node = node;
        }

        @Override
        public String toString() {
            return "m" + id + " " + from.index + "@node" + (node + 1) + "->" + to.index + (accepted ? " accepted" : "")
                    + (refused != null ? " refused " + refused : "") + " received " + received.get();
        }
    }

    private final List<URI> nodes;
    private final ExecutorService callbacks = Executors.newFixedThreadPool(4, daemon("fleet-ws"));
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2, daemon("fleet-timer"));
    private final HttpClient http = HttpClient.newBuilder().executor(callbacks).connectTimeout(CONNECT).build();
    final List<Client> clients = new ArrayList<>();
    final Map<Long, Sent> sent = new ConcurrentHashMap<>();
    /** What should not happen whatever the server does: a message for another client, a resume refused for good. */
    final Set<String> anomalies = ConcurrentHashMap.newKeySet();
    final AtomicInteger seqDuplicatesDropped = new AtomicInteger();
    final AtomicInteger seqGaps = new AtomicInteger();
    private final AtomicLong ids = new AtomicLong();
    private final long started = System.nanoTime();
    private volatile boolean stopped;

    /** @param nodes every node's signaling URI, in the order the clients' node indexes count */
    SignalFleet(List<URI> nodes) {
        this.nodes = List.copyOf(nodes);
        timer.scheduleWithFixedDelay(this::heartbeats, 500, 500, TimeUnit.MILLISECONDS);
    }

    Client add(String room, String user, int node) {
        Client c = new Client(clients.size(), room, user, node);
        clients.add(c);
        return c;
    }

    /** Sends one test message from {@code from} to {@code to}, followed by the ping that tells its acceptance. */
    Sent message(Client from, Client to) {
        Sent s = new Sent(ids.incrementAndGet(), from, to, from.node);
        sent.put(s.id, s);
        from.window.add(s.id);
        from.send("{\"type\":\"candidate\",\"id\":\"m" + s.id + "\",\"to\":\"" + to.participant
                + "\",\"candidate\":{\"candidate\":\"m" + s.id + "\"}}");
        from.ping("a" + s.id);
        return s;
    }

    /** Whether any message carried a {@code seq}: the server speaks the sequence-number contract. */
    boolean seqSeen() {
        return clients.stream().anyMatch(c -> c.seqSeen);
    }

    private void heartbeats() {
        long now = System.nanoTime();
        for (Client c : clients) {
            try {
                c.heartbeat(now);
            } catch (RuntimeException e) {
                anomalies.add("heartbeat of client " + c.index + ": " + e);
            }
        }
    }

    @Override
    public void close() {
        stopped = true;
        timer.shutdownNow();
        for (Client c : clients) {
            WebSocket w = c.ws;
            if (w != null) {
                w.abort();
            }
        }
        callbacks.shutdownNow();
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** One participant's client. Its fields are read by the test thread; callbacks and timers write them. */
    final class Client {
        final int index;
        final String room;
        final String user;
        /** The node (index) whose socket it is on, or last was on. */
        volatile int node;
        volatile WebSocket ws;
        volatile String participant;
        volatile String token;
        volatile String ticket;
        /** Joined or resumed, on a socket not known to be gone. */
        volatile boolean live;
        /**
         * A client that sends nothing unless the test makes it (no heartbeat, so no watch for pongs either): it waits
         * to be told by the server. (One that keeps writing to a socket the server is closing may see a reset before
         * the close frame.)
         */
        volatile boolean quiet;
        /** When it lost its socket (nanoTime), 0 while it has one. */
        volatile long lostAt;
        volatile long resumedAt;
        volatile int resumedOn = -1;
        volatile int resumes;
        /** How the server closed its sockets, in order: "code reason" (or -1 and the error). */
        final List<String> closes = java.util.Collections.synchronizedList(new ArrayList<>());
        volatile String failed;
        final Map<Long, AtomicInteger> received = new ConcurrentHashMap<>();
        final Set<Long> window = ConcurrentHashMap.newKeySet();
        private int generation;
        private CompletableFuture<JsonObject> session = new CompletableFuture<>();
        private CompletableFuture<?> sending = CompletableFuture.completedFuture(null);
        private long pingSince;
        private long lastPing;
        private long lastSeq;
        private long ackedSeq;
        volatile boolean seqSeen;
        private boolean reconnecting;
        private int attempt;

        private Client(int index, String room, String user, int node) {
            this.index = index;
            this.room = room;
            this.user = user;
            this.node = node;
        }

        /** Joins with {@code ticket} on its node; completes with the {@code joined} message. */
        CompletableFuture<JsonObject> join(String ticket) {
            this.ticket = ticket;
            return open(node, "{\"type\":\"join\",\"room\":\"" + room + "\",\"ticket\":\"" + ticket + "\"}")
                    .thenApply(joined -> {
                        participant = joined.getString("participant");
                        token = joined.getString("resumeToken");
                        live = true;
                        return joined;
                    });
        }

        /** Connects to node {@code at} and sends {@code first}; completes with the session reply (joined, resumed). */
        private CompletableFuture<JsonObject> open(int at, String first) {
            CompletableFuture<JsonObject> answer = new CompletableFuture<>();
            int gen;
            synchronized (this) {
                gen = ++generation;
                session = answer;
                window.clear();
                pingSince = 0;
            }
            http.newWebSocketBuilder().connectTimeout(CONNECT).buildAsync(nodes.get(at), new Listener(gen))
                    .whenComplete((w, e) -> {
                        if (e != null) {
                            answer.completeExceptionally(e);
                            return;
                        }
                        synchronized (this) {
                            if (gen != generation) {
                                w.abort();
                                return;
                            }
                            ws = w;
                            node = at;
                            sending = CompletableFuture.completedFuture(null);
                        }
                        send(first);
                    });
            return answer.orTimeout(ATTEMPT.toMillis(), TimeUnit.MILLISECONDS);
        }

        /** Sends in order (the JDK's WebSocket takes one send at a time); a failure shows as the socket closing. */
        synchronized void send(String text) {
            WebSocket w = ws;
            if (w == null) {
                return;
            }
            sending = sending.handle((x, e) -> null).thenCompose(x -> w.sendText(text, true));
        }

        synchronized void ping(String ref) {
            long now = System.nanoTime();
            if (pingSince == 0) {
                pingSince = now;
            }
            lastPing = now;
            send("{\"type\":\"ping\",\"id\":\"" + ref + "\"}");
        }

        private void heartbeat(long now) {
            if (stopped) {
                return;
            }
            boolean dead;
            int gen;
            synchronized (this) {
                gen = generation;
                if (!live) {
                    return;
                }
                if (quiet) {
                    return;
                }
                dead = pingSince != 0 && now - pingSince > LIVENESS.toNanos();
                if (!dead) {
                    if (now - lastPing > HEARTBEAT.toNanos()) {
                        ping("h");
                    }
                    if (seqSeen && lastSeq > ackedSeq) { // at least every second while unacknowledged (the contract)
                        ackedSeq = lastSeq;
                        send("{\"type\":\"ack\",\"seq\":" + lastSeq + "}");
                    }
                }
            }
            if (dead) {
                lost(gen, "no pong for " + LIVENESS.toSeconds() + " s");
            }
        }

        /** The socket of generation {@code gen} is gone: resume elsewhere (once, however many signs of it come). */
        private void lost(int gen, String why) {
            WebSocket old;
            synchronized (this) {
                if (gen != generation || reconnecting || failed != null || stopped) {
                    return;
                }
                boolean wasLive = live;
                live = false;
                reconnecting = true;
                attempt = 0;
                old = ws;
                if (wasLive) {
                    lostAt = System.nanoTime();
                    resumedAt = 0;
                }
                closes.add(why + " at +" + (System.nanoTime() - started) / 1_000_000 + " ms");
            }
            if (old != null) {
                old.abort();
            }
            resumeSoon();
        }

        private void resumeSoon() {
            long pause = BACKOFF[Math.min(attempt, BACKOFF.length - 1)];
            timer.schedule(this::resumeAttempt, pause, TimeUnit.MILLISECONDS);
        }

        /** The other nodes in turn, starting with the next one after where it was. */
        private void resumeAttempt() {
            if (stopped) {
                return;
            }
            int from;
            String resume;
            synchronized (this) {
                from = node;
                attempt++;
                resume = "{\"type\":\"resume\",\"token\":\"" + token + "\"" + (seqSeen ? ",\"lastSeq\":" + lastSeq : "")
                        + "}";
            }
            int at = (from + attempt) % nodes.size();
            open(at, resume).whenComplete((resumed, e) -> {
                if (e == null) {
                    synchronized (this) {
                        token = resumed.getString("resumeToken");
                        live = true;
                        reconnecting = false;
                        resumedAt = System.nanoTime();
                        resumedOn = at;
                        resumes++;
                    }
                    return;
                }
                String why = String.valueOf(e instanceof java.util.concurrent.CompletionException ? e.getCause() : e);
                if (why.contains("4433")) { // resume-failed: the server says its place is gone
                    failed = "node" + (at + 1) + ": " + why;
                    anomalies.add("client " + index + " could not resume: " + failed);
                    return;
                }
                synchronized (this) {
                    WebSocket w = ws;
                    if (w != null) {
                        w.abort();
                    }
                    generation++; // late callbacks of that attempt are ignored
                    node = from; // the rotation goes on from where it started
                }
                resumeSoon();
            });
        }

        private void onMessage(int gen, JsonObject m) {
            String type = m.getString("type", "");
            if (m.get("seq") instanceof JsonNumber n) {
                long seq = n.longValue();
                synchronized (this) {
                    seqSeen = true;
                    if (seq <= lastSeq) {
                        seqDuplicatesDropped.incrementAndGet();
                        return; // processed already (the contract: ignore it)
                    }
                    if (lastSeq != 0 && seq != lastSeq + 1) {
                        seqGaps.incrementAndGet();
                    }
                    lastSeq = seq;
                }
            }
            switch (type) {
                case "joined", "resumed" -> {
                    CompletableFuture<JsonObject> s;
                    synchronized (this) {
                        s = gen == generation ? session : null;
                    }
                    if (s != null) {
                        s.complete(m);
                    }
                }
                case "pong" -> {
                    if (current(gen)) {
                        pong(m.get("id"));
                    }
                }
                case "error" -> {
                    if (current(gen)) { // an old socket's error is about messages no longer in the window
                        error(m);
                    }
                }
                case "candidate" -> candidate(m);
                default -> {
                    // room events: counted by seq only
                }
            }
        }

        private synchronized boolean current(int gen) {
            return gen == generation;
        }

        private void pong(JsonValue ref) {
            synchronized (this) {
                pingSince = 0;
            }
            if (ref instanceof JsonString s && s.getString().startsWith("a")) {
                long id = Long.parseLong(s.getString().substring(1));
                Sent msg = sent.get(id);
                if (window.remove(id) && msg != null && msg.refused == null) {
                    msg.accepted = true;
                }
            }
        }

        private void error(JsonObject m) {
            String code = m.getString("code", "?");
            JsonValue ref = m.get("id");
            if (ref instanceof JsonString s && s.getString().startsWith("m")) {
                Sent msg = sent.get(Long.parseLong(s.getString().substring(1)));
                if (msg != null) {
                    msg.refused = code;
                }
            } else { // an error without the message's id (busy, cluster-degraded, internal): every message in flight
                for (Long id : window) {
                    Sent msg = sent.get(id);
                    if (msg != null) {
                        msg.refused = code;
                    }
                }
            }
        }

        private void candidate(JsonObject m) {
            JsonObject c = m.getJsonObject("candidate");
            String text = c == null ? "" : c.getString("candidate", "");
            if (!text.startsWith("m")) {
                anomalies.add("client " + index + " got a candidate the test did not send: " + m);
                return;
            }
            long id = Long.parseLong(text.substring(1));
            Sent msg = sent.get(id);
            if (msg == null || msg.to != this) {
                anomalies.add("client " + index + " got m" + id + " meant for " + (msg == null ? "nobody" : msg.to.index));
                return;
            }
            msg.received.incrementAndGet();
            received.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
        }

        private void closed(int gen, String how) {
            CompletableFuture<JsonObject> s;
            synchronized (this) {
                s = gen == generation ? session : null;
            }
            if (s != null && !s.isDone()) {
                s.completeExceptionally(new IllegalStateException("closed " + how));
                return; // the attempt's own failure handling goes on
            }
            if (live) {
                lost(gen, how);
            }
        }

        /** Closes this client's socket without a word, like a lost network, and leaves it so. */
        void drop() {
            synchronized (this) {
                live = false;
                generation++;
                failed = "dropped by the test";
            }
            WebSocket w = ws;
            if (w != null) {
                w.abort();
            }
        }

        @Override
        public String toString() {
            return "client " + index + " (" + participant + ", node" + (node + 1) + (live ? ", live" : ", not live")
                    + ", closes " + closes + (failed != null ? ", failed " + failed : "") + ")";
        }

        /** One socket's callbacks; those of a socket the client has moved on from are ignored. */
        private final class Listener implements WebSocket.Listener {
            private final int gen;
            private final StringBuilder text = new StringBuilder();

            Listener(int gen) {
                this.gen = gen;
            }

            @Override
            public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    String t = text.toString();
                    text.setLength(0);
                    try {
                        onMessage(gen, TestServer.object(t));
                    } catch (RuntimeException e) {
                        anomalies.add("client " + index + " could not handle " + t + ": " + e);
                    }
                }
                w.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket w, int code, String reason) {
                closed(gen, code + " " + reason);
                return null;
            }

            @Override
            public void onError(WebSocket w, Throwable error) {
                closed(gen, "-1 " + error);
            }
        }
    }
}
