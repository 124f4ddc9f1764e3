import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The cluster measurements of bench/cluster that the signaling load client does not make. Compiled together with
 * TurnAllocBench.java (its TURN client) and SignalingLoadBench.java (its percentiles and JSON helpers).
 *
 * <pre>
 *   java ClusterBench revoke BASES STUN_PORTS ROUNDS
 *   java ClusterBench failover BASES CLIENTS ROOM_SIZE KILL_INDEX KILL_PID
 * </pre>
 * BASES: the nodes' HTTP base URLs, comma-separated; STUN_PORTS: their STUN/TURN UDP ports on 127.0.0.1, same order.
 *
 * <p>revoke, per round: an admin makes a user and a long-term TURN credential for it, the credential allocates on
 * every node and the user joins one room with a socket on every node; then the credential is disabled through one
 * node (the nodes take turns) while each node's allocation is probed with a Refresh every 5 ms: the time from sending
 * the disable request to the first refused Refresh is that node's propagation time (the relay refuses the credential
 * and ends its allocations in one act). Then the user is deactivated through the same node and the time to each
 * socket's close (4436 expected) is taken. Every wait is bounded (10 s per step).
 *
 * <p>failover: CLIENTS clients in rooms of ROOM_SIZE, client i on node i mod n (rooms span the nodes); once all have
 * joined, the node KILL_INDEX (its JVM, KILL_PID) is killed with SIGKILL; each client whose socket was there resumes
 * with its token on the other nodes in turn, as a client would (attempts at 0, 0.3, 1.2, 2.7, 4.8 s after the loss,
 * then every 7 s; each attempt bounded by 10 s), for at most 90 s. Reported: the time from the kill to each
 * {@code resumed}. One JSON object on stdout, progress on stderr.
 */
public class ClusterBench {

    static final Pattern TYPE = Pattern.compile("\"type\"\\s*:\\s*\"([a-z-]+)\"");
    static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"?([^\",}]+)\"?");
    static final Pattern TOKEN = Pattern.compile("\"resumeToken\"\\s*:\\s*\"([^\"]+)\"");
    static final Pattern TICKET = Pattern.compile("\"ticket\"\\s*:\\s*\"([^\"]+)\"");
    static final Pattern USERNAME = Pattern.compile("\"username\"\\s*:\\s*\"([^\"]+)\"");
    static final Pattern PASSWORD = Pattern.compile("\"password\"\\s*:\\s*\"([^\"]+)\"");
    static final Pattern SEQ = Pattern.compile("\"seq\"\\s*:\\s*(\\d+)");
    static final String ADMIN = "bench-admin";

    final URI[] bases;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    final Map<String, LongAdder> failures = new ConcurrentHashMap<>();

    ClusterBench(String bases) {
        this.bases = Arrays.stream(bases.split(",")).map(u -> URI.create(u.endsWith("/") ? u : u + "/"))
                .toArray(URI[]::new);
    }

    public static void main(String[] a) throws Exception {
        if (a.length < 4) {
            System.err.println("usage: ClusterBench revoke BASES STUN_PORTS ROUNDS | failover BASES CLIENTS ROOM_SIZE KILL_INDEX KILL_PID");
            System.exit(2);
        }
        ClusterBench b = new ClusterBench(a[1]);
        String json = switch (a[0]) {
            case "revoke" -> b.revoke(Arrays.stream(a[2].split(",")).mapToInt(Integer::parseInt).toArray(),
                    Integer.parseInt(a[3]));
            case "failover" -> b.failover(Integer.parseInt(a[2]), Integer.parseInt(a[3]), Integer.parseInt(a[4]),
                    Long.parseLong(a[5]));
            default -> throw new IllegalArgumentException(a[0]);
        };
        System.out.println(json);
        System.out.flush();
        System.exit(0);
    }

    static void log(String s) {
        System.err.printf("[cluster-bench %tT] %s%n", System.currentTimeMillis(), s);
    }

    void fail(String why) {
        failures.computeIfAbsent(why.replaceAll("[0-9a-zA-Z_-]{16,}", "…"), k -> new LongAdder()).increment();
    }

    // ------------------------------------------------------------------------------------------------------ REST

    String call(URI base, String method, String path, String user, String roles, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder r = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("X-Switchboard-User", user).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (roles != null) {
            r.header("X-Switchboard-Roles", roles);
        }
        HttpResponse<String> resp = http.send(r.build(), HttpResponse.BodyHandlers.ofString());
        if (resp.statusCode() / 100 != 2) {
            throw new IOException(method + " " + path + " as " + user + ": HTTP " + resp.statusCode() + " " + resp.body());
        }
        return resp.body();
    }

    static String find(Pattern p, String s) {
        Matcher m = p.matcher(s);
        return m.find() ? m.group(1) : null;
    }

    String room(String name, int size) throws IOException, InterruptedException {
        return find(ID, call(bases[0], "POST", "api/rooms", ADMIN, null,
                "{\"name\":\"" + name + "\",\"maxParticipants\":" + size + ",\"mode\":\"p2p\"}"));
    }

    String ticket(URI base, String room, String user) throws IOException, InterruptedException {
        return find(TICKET, call(base, "POST", "api/rooms/" + room + "/tickets", user, null, null));
    }

    // ------------------------------------------------------------------------------------------------------ a socket

    /** One signaling socket: joined/resumed tokens, its close, acknowledgements of numbered messages. */
    static final class Peer implements WebSocket.Listener {
        final StringBuilder partial = new StringBuilder();
        final CompletableFuture<String> ready = new CompletableFuture<>();      // joined or resumed: its text
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        volatile WebSocket socket;
        volatile long seq;

        @Override
        public void onOpen(WebSocket w) {
            w.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                String type = find(TYPE, text);
                Matcher m = SEQ.matcher(text);   // the server appends it: the last match (a peer's text may hold one)
                String s = null;
                while (m.find()) {
                    s = m.group(1);
                }
                if (s != null) {
                    seq = Math.max(seq, Long.parseLong(s));
                }
                if ("joined".equals(type) || "resumed".equals(type)) {
                    ready.complete(text);
                } else if ("error".equals(type) && !ready.isDone()) {
                    ready.completeExceptionally(new IOException(text));
                }
            }
            w.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket w, int code, String reason) {
            ready.completeExceptionally(new IOException("closed " + code + " " + reason));
            closed.complete(code);
            return null;
        }

        @Override
        public void onError(WebSocket w, Throwable error) {
            ready.completeExceptionally(error);
            closed.complete(-1);
        }
    }

    static URI ws(URI base) {
        return URI.create(base.toString().replaceFirst("^http", "ws") + "signal");
    }

    /** Opens a socket on {@code base} and sends {@code first}; completes with the peer once joined/resumed. */
    CompletableFuture<Peer> open(URI base, java.util.function.Function<Peer, String> first) {
        Peer p = new Peer();
        return http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10)).buildAsync(ws(base), p)
                .thenCompose(w -> {
                    p.socket = w;
                    return w.sendText(first.apply(p), true);
                })
                .thenCompose(w -> p.ready).thenApply(t -> p).orTimeout(10, TimeUnit.SECONDS);
    }

    // ------------------------------------------------------------------------------------------------------ revoke

    String revoke(int[] stunPorts, int rounds) throws Exception {
        if (stunPorts.length != bases.length) {
            throw new IllegalArgumentException("one STUN port per node");
        }
        String run = Long.toString(System.currentTimeMillis() % 1_000_000, 36);
        List<Long> turnRemote = new ArrayList<>(), turnOrigin = new ArrayList<>();
        List<Long> sockRemote = new ArrayList<>(), sockOrigin = new ArrayList<>();
        List<Long> disableHttp = new ArrayList<>(), deactivateHttp = new ArrayList<>();
        Map<String, LongAdder> closeCodes = new TreeMap<>();
        for (int k = 0; k < rounds; k++) {
            int origin = k % bases.length;
            String name = "bench-rev-" + run + "-" + k;
            String user = call(bases[0], "POST", "api/users", ADMIN, "user,admin", "{\"username\":\"" + name + "\"}");
            String userId = find(ID, user);
            String cred = call(bases[0], "POST", "api/turn/credentials", ADMIN, "user,admin",
                    "{\"label\":\"bench\",\"userId\":" + userId + "}");
            String credId = find(ID, cred);
            TurnAllocBench.user = find(USERNAME, cred);
            TurnAllocBench.pass = find(PASSWORD, cred);
            String room = room("bench-rev-" + run + "-" + k, bases.length + 1);

            DatagramSocket[] sockets = new DatagramSocket[bases.length];
            TurnAllocBench.Client[] turn = new TurnAllocBench.Client[bases.length];
            Peer[] peers = new Peer[bases.length];
            try {
                for (int j = 0; j < bases.length; j++) {
                    sockets[j] = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
                    turn[j] = new TurnAllocBench.Client();
                    turn[j].target = new InetSocketAddress("127.0.0.1", stunPorts[j]);
                    if (!turn[j].allocate(sockets[j], System.nanoTime() + TimeUnit.SECONDS.toNanos(5))) {
                        throw new IOException("round " + k + ": Allocate on node " + (j + 1) + " failed: "
                                + TurnAllocBench.failuresJson());
                    }
                    String t = ticket(bases[j], room, name);
                    peers[j] = open(bases[j], p -> "{\"type\":\"join\",\"room\":\"" + room + "\",\"ticket\":\"" + t + "\"}")
                            .get(15, TimeUnit.SECONDS);
                }
                // the credential, disabled through the origin node; every node's allocation probed
                long t0 = System.nanoTime();
                call(bases[origin], "POST", "api/turn/credentials/" + credId + "/disable", ADMIN, "user,admin", null);
                disableHttp.add(System.nanoTime() - t0);
                long[] ended = new long[bases.length];
                Arrays.fill(ended, -1);
                long deadline = t0 + TimeUnit.SECONDS.toNanos(10);
                while (System.nanoTime() < deadline && Arrays.stream(ended).anyMatch(e -> e < 0)) {
                    for (int j = 0; j < bases.length; j++) {
                        if (ended[j] < 0 && !refreshes(turn[j], sockets[j])) {
                            ended[j] = System.nanoTime() - t0;
                        }
                    }
                    Thread.sleep(5);
                }
                for (int j = 0; j < bases.length; j++) {
                    if (ended[j] < 0) {
                        // which half failed: the key still accepted, or only the old allocation left running
                        try (DatagramSocket fresh = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
                            TurnAllocBench.Client again = new TurnAllocBench.Client();
                            again.target = turn[j].target;
                            boolean allocates = again.allocate(fresh, System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
                            fail("node " + (j + 1) + (j == origin ? " (origin)" : "") + " still relays an allocation 10 s"
                                    + " after the credential was disabled; a new Allocate there "
                                    + (allocates ? "succeeds too" : "is refused"));
                        }
                    } else {
                        (j == origin ? turnOrigin : turnRemote).add(ended[j]);
                    }
                }
                // the user, deactivated through the origin node; every node's socket awaited
                long t1 = System.nanoTime();
                call(bases[origin], "POST", "api/users/" + userId + "/deactivate", ADMIN, "user,admin", "");
                deactivateHttp.add(System.nanoTime() - t1);
                for (int j = 0; j < bases.length; j++) {
                    try {
                        int code = peers[j].closed.get(Math.max(1, t1 + TimeUnit.SECONDS.toNanos(10) - System.nanoTime()),
                                TimeUnit.NANOSECONDS);
                        long at = System.nanoTime() - t1;
                        closeCodes.computeIfAbsent(Integer.toString(code), c -> new LongAdder()).increment();
                        (j == origin ? sockOrigin : sockRemote).add(at);
                    } catch (java.util.concurrent.TimeoutException e) {
                        fail("socket still open 10 s after the user was deactivated");
                    }
                }
                log("round " + (k + 1) + "/" + rounds + " (through node " + (origin + 1) + "): relay refused after "
                        + Arrays.toString(Arrays.stream(ended).map(e -> e / 1_000_000).toArray()) + " ms");
            } finally {
                for (int j = 0; j < bases.length; j++) {
                    if (sockets[j] != null) {
                        sockets[j].close();
                    }
                    if (peers[j] != null && !peers[j].closed.isDone()) {
                        peers[j].socket.abort();
                    }
                }
                try {
                    call(bases[0], "DELETE", "api/rooms/" + room, ADMIN, null, null);
                } catch (IOException e) {
                    fail("room delete: " + e.getMessage());
                }
            }
        }
        StringBuilder j = new StringBuilder("{");
        j.append("\"rounds\":").append(rounds).append(",\"nodes\":").append(bases.length);
        stats(j, "turn_remote", turnRemote);
        stats(j, "turn_origin", turnOrigin);
        stats(j, "socket_remote", sockRemote);
        stats(j, "socket_origin", sockOrigin);
        stats(j, "disable_http", disableHttp);
        stats(j, "deactivate_http", deactivateHttp);
        j.append(",\"close_codes\":").append(SignalingLoadBench.map(closeCodes));
        j.append(",\"failures\":").append(SignalingLoadBench.map(failures));
        return j.append('}').toString();
    }

    /** One authenticated Refresh(600) on the held allocation: true while the node still honours the credential. */
    static boolean refreshes(TurnAllocBench.Client c, DatagramSocket s) throws IOException {
        for (int attempt = 0; attempt < 2; attempt++) {
            byte[] r = c.exchange(s, c.request(TurnAllocBench.REFRESH, true, 600), System.nanoTime());
            if (r == null) {
                return true;        // lost on loopback (retransmitted and timed out): ask again at the next probe
            }
            if (TurnAllocBench.cls(r) == 0x0100) {
                return true;
            }
            if (TurnAllocBench.errorCode(r) == 438 && TurnAllocBench.attr(r, TurnAllocBench.A_NONCE) != null) {
                c.nonce = TurnAllocBench.attr(r, TurnAllocBench.A_NONCE);
                continue;
            }
            return false;           // 401 (credential refused) or 437 (allocation ended)
        }
        return true;
    }

    // ------------------------------------------------------------------------------------------------------ failover

    final class Member {
        final int index;
        final String room;
        volatile Peer peer;
        volatile String token;
        volatile long resumedAfter = -1;
        volatile int attempts;
        volatile String lastFailure;

        Member(int index, String room) {
            this.index = index;
            this.room = room;
        }

        int node() {
            return index % bases.length;
        }
    }

    String failover(int clients, int roomSize, int killIndex, long killPid) throws Exception {
        String run = Long.toString(System.currentTimeMillis() % 1_000_000, 36);
        int rooms = (clients + roomSize - 1) / roomSize;
        List<String> roomIds = new ArrayList<>();
        for (int r = 0; r < rooms; r++) {
            roomIds.add(room("bench-fo-" + run + "-" + r, roomSize));
        }
        List<Member> all = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            all.add(new Member(i, roomIds.get(i / roomSize)));
        }
        log("joining " + clients + " clients over " + bases.length + " nodes");
        Semaphore inFlight = new Semaphore(32);
        List<CompletableFuture<?>> joins = new ArrayList<>();
        for (Member m : all) {
            inFlight.acquire();
            String user = "bench-fo-" + run + "-" + m.index;
            URI base = bases[m.node()];
            CompletableFuture<?> f = CompletableFuture.supplyAsync(() -> {
                try {
                    return ticket(base, m.room, user);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }).thenCompose(t -> open(base, p -> "{\"type\":\"join\",\"room\":\"" + m.room + "\",\"ticket\":\"" + t + "\"}"))
                    .whenComplete((p, e) -> {
                        inFlight.release();
                        if (e != null) {
                            fail("join: " + (e.getCause() != null ? e.getCause() : e));
                        } else {
                            m.peer = p;
                            m.token = find(TOKEN, p.ready.join());
                        }
                    });
            joins.add(f);
        }
        CompletableFuture.allOf(joins.toArray(CompletableFuture[]::new)).exceptionally(e -> null)
                .get(120 + clients / 10, TimeUnit.SECONDS);
        long joined = all.stream().filter(m -> m.token != null).count();
        log(joined + " joined; waiting 3 s, then SIGKILL to node " + (killIndex + 1) + " (pid " + killPid + ")");
        Thread.sleep(3000);

        List<Member> orphans = all.stream().filter(m -> m.node() == killIndex && m.token != null).toList();
        ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
        long kill = System.nanoTime();
        ProcessHandle.of(killPid).orElseThrow(() -> new IllegalStateException("no process " + killPid)).destroyForcibly();
        CompletableFuture<?>[] done = new CompletableFuture<?>[orphans.size()];
        long[] backoffMs = {0, 300, 1200, 2700, 4800};
        for (int o = 0; o < orphans.size(); o++) {
            Member m = orphans.get(o);
            CompletableFuture<Void> finished = new CompletableFuture<>();
            done[o] = finished;
            // the loss is seen when the socket closes; then attempts on the other nodes in turn
            m.peer.closed.orTimeout(30, TimeUnit.SECONDS).whenComplete((code, e) -> {
                long lost = System.nanoTime();
                Runnable[] attempt = new Runnable[1];
                attempt[0] = () -> {
                    int n = m.attempts++;
                    if (System.nanoTime() - kill > TimeUnit.SECONDS.toNanos(90)) {
                        finished.complete(null);
                        return;
                    }
                    int target = (killIndex + 1 + n % (bases.length - 1)) % bases.length;
                    long lastSeq = m.peer.seq;
                    open(bases[target], p -> "{\"type\":\"resume\",\"token\":\"" + m.token + "\",\"lastSeq\":" + lastSeq + "}")
                            .whenComplete((p, err) -> {
                                if (err == null) {
                                    m.resumedAfter = System.nanoTime() - kill;
                                    m.peer = p;
                                    m.token = find(TOKEN, p.ready.join());
                                    finished.complete(null);
                                    return;
                                }
                                m.lastFailure = String.valueOf(err.getCause() != null ? err.getCause() : err);
                                long nextAt = n + 1 < backoffMs.length ? backoffMs[n + 1]
                                        : backoffMs[backoffMs.length - 1] + 7000L * (n + 2 - backoffMs.length);
                                long wait = Math.max(0, nextAt - (System.nanoTime() - lost) / 1_000_000);
                                timer.schedule(attempt[0], wait, TimeUnit.MILLISECONDS);
                            });
                };
                attempt[0].run();
            });
        }
        CompletableFuture.allOf(done).exceptionally(e -> null).get(120, TimeUnit.SECONDS);
        timer.shutdownNow();

        List<Long> times = new ArrayList<>();
        Map<String, LongAdder> attempts = new TreeMap<>(), notResumed = new TreeMap<>();
        for (Member m : orphans) {
            if (m.resumedAfter >= 0) {
                times.add(m.resumedAfter);
                attempts.computeIfAbsent(Integer.toString(m.attempts), a -> new LongAdder()).increment();
            } else {
                notResumed.computeIfAbsent(String.valueOf(m.lastFailure).replaceAll("[0-9a-zA-Z_-]{16,}", "…"),
                        a -> new LongAdder()).increment();
            }
        }
        long survivorsClosed = all.stream().filter(m -> m.node() != killIndex && m.peer != null && m.peer.closed.isDone()).count();
        log(times.size() + " of " + orphans.size() + " orphans resumed");
        for (Member m : all) {
            if (m.peer != null && !m.peer.closed.isDone()) {
                m.peer.socket.sendText("{\"type\":\"leave\"}", true);
            }
        }
        Thread.sleep(1000);
        for (String id : roomIds) {
            try {
                call(bases[(killIndex + 1) % bases.length], "DELETE", "api/rooms/" + id, ADMIN, null, null);
            } catch (IOException e) {
                fail("room delete: " + e.getMessage());
            }
        }
        StringBuilder j = new StringBuilder("{");
        j.append("\"clients\":").append(clients).append(",\"joined\":").append(joined)
                .append(",\"room_size\":").append(roomSize).append(",\"nodes\":").append(bases.length)
                .append(",\"orphans\":").append(orphans.size()).append(",\"resumed\":").append(times.size())
                .append(",\"survivor_sockets_closed\":").append(survivorsClosed);
        stats(j, "resume", times);
        j.append(",\"attempts\":").append(SignalingLoadBench.map(attempts));
        j.append(",\"not_resumed\":").append(SignalingLoadBench.map(notResumed));
        j.append(",\"failures\":").append(SignalingLoadBench.map(failures));
        return j.append('}').toString();
    }

    // ------------------------------------------------------------------------------------------------------ output

    /** ,"name_n":…,"name_p50_ms":…,"name_p95_ms":…,"name_p99_ms":…,"name_max_ms":… */
    static void stats(StringBuilder j, String name, List<Long> nanos) {
        long[] s = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        j.append(",\"").append(name).append("_n\":").append(s.length);
        for (double p : new double[] {50, 95, 99}) {
            j.append(",\"").append(name).append("_p").append((int) p).append("_ms\":")
                    .append(SignalingLoadBench.ms(SignalingLoadBench.pct(s, p)));
        }
        j.append(",\"").append(name).append("_max_ms\":")
                .append(SignalingLoadBench.ms(s.length == 0 ? -1 : s[s.length - 1]));
    }
}
