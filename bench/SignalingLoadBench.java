import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Signaling load for bench/signaling-load: N WebSocket clients in rooms of K exchange offers, answers and ICE
 * candidates through Switchboard's /signal, and this program measures delivery latency (receive − send, both
 * System.nanoTime() of this one JVM) and delivered messages/s.
 *
 * <pre>
 *   java bench/SignalingLoadBench.java BASE_URL[,BASE_URL…] CLIENTS ROOM_SIZE RATE WARMUP_S MEASURE_S [SERVER_PID[,PID…]]
 *   e.g. java bench/SignalingLoadBench.java http://127.0.0.1:28080 1000 10 5 5 20 12345
 * </pre>
 *
 * Several base URLs (the nodes of a cluster, bench/cluster): the rooms are made through the first; client i gets its
 * ticket from and opens its socket on node i mod n, so a room of k ≥ n members spans every node, and latency is also
 * reported apart for messages whose sender and recipient are on the same node and on different ones. Several PIDs:
 * their CPU, RSS, threads and descriptors are summed. Messages that carry a {@code seq} (the signaling protocol's
 * per-recipient numbers) are acknowledged about once a second, as a client must.
 *
 * Steps: create ⌈CLIENTS/ROOM_SIZE⌉ rooms through the REST API (dev-mode caller headers; room owner
 * {@code bench-owner}), then for every client (user {@code bench-u<i>}, so max-rooms-per-user is never the limit)
 * get a ticket, open a socket and join (at most 32 handshakes in flight); wait until every client knows all its room
 * peers; then every client sends RATE messages/s (offer, 4 candidates, answer, 4 candidates, …), each to the next
 * peer of its room in turn, for WARMUP_S + MEASURE_S seconds; only messages sent in the MEASURE_S window count.
 * A client whose previous send has not completed skips its tick (counted: "send-busy"); a tick that comes
 * less than half a period after the client's last one (a starved scheduler catching up) is dropped (counted:
 * "late-ticks"), so a client never sends faster than 2 × RATE. Then up to 10 s for the
 * last messages to arrive, every client sends {@code leave}, and sockets not closed by the server within 10 s are
 * aborted. Everything is bounded: the program exits within about 2 × 60 s + WARMUP_S + MEASURE_S + 30 s.
 *
 * With SERVER_PID, the server's CPU (utime+stime from /proc), RSS, threads and open file descriptors are read at the
 * start and end of the measured window. Prints progress on stderr and one JSON object on stdout.
 */
public class SignalingLoadBench {

    static final Pattern TYPE = Pattern.compile("\"type\"\\s*:\\s*\"([a-z-]+)\"");
    static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");
    static final Pattern PARTICIPANT = Pattern.compile("\"participant\"\\s*:\\s*\"([^\"]+)\"");
    static final Pattern PARTICIPANT_OBJ = Pattern.compile("\"participant\"\\s*:\\s*\\{\\s*\"id\"\\s*:\\s*\"([^\"]+)\"");
    static final Pattern CODE = Pattern.compile("\"code\"\\s*:\\s*\"([^\"]+)\"");
    static final Pattern TICKET = Pattern.compile("\"ticket\"\\s*:\\s*\"([^\"]+)\"");
    static final String TS = "bench-ts:";
    static final String SEQ = "\"seq\":";
    /** Send order of one client; 1 in 5 messages carries an SDP, as a negotiation with trickled candidates does. */
    static final String[] PATTERN = {"offer", "candidate", "candidate", "candidate", "candidate",
            "answer", "candidate", "candidate", "candidate", "candidate"};
    /** About the size of a browser's audio + video + data channel SDP (~2 KB), sent once per five messages. */
    static final String SDP_BODY;

    static {
        StringBuilder b = new StringBuilder("\\r\\ns=-\\r\\nt=0 0\\r\\na=group:BUNDLE 0 1 2\\r\\n");
        while (b.length() < 2000) {
            b.append("a=rtpmap:96 VP8/90000\\r\\na=rtcp-fb:96 nack pli\\r\\na=fmtp:97 apt=96\\r\\n");
        }
        SDP_BODY = b.toString();
    }

    /** The server, or every node of a cluster; client i is on {@code bases[i % bases.length]}. */
    final URI[] bases;
    final int clients, roomSize, rate, warmupS, measureS;
    /** Nanoseconds between two messages of one client. */
    final long period;
    final long[] serverPids;
    final HttpClient rest = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    /** Several clients, each with its own selector thread, so one client-side thread is not the bottleneck. */
    final HttpClient[] ws = new HttpClient[4];

    final List<Client> all = new ArrayList<>();
    final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    final Map<String, LongAdder> closes = new ConcurrentHashMap<>();
    final LongAdder sendBusy = new LongAdder(), sendFailed = new LongAdder(), lateTicks = new LongAdder();
    final LongAdder sentWindow = new LongAdder(), deliveredWindow = new LongAdder(), deliveredAll = new LongAdder();
    final LongAdder bytesWindow = new LongAdder(), sentAll = new LongAdder();
    volatile long windowStart = Long.MAX_VALUE, windowEnd = Long.MAX_VALUE;
    long[] latencies;
    final AtomicInteger latN = new AtomicInteger();
    /** With several nodes: the same latencies split by whether sender and recipient sockets share a node. */
    long[] latSame, latCross;
    final AtomicInteger latSameN = new AtomicInteger(), latCrossN = new AtomicInteger();

    SignalingLoadBench(String[] a) {
        bases = Arrays.stream(a[0].split(",")).map(u -> URI.create(u.endsWith("/") ? u : u + "/")).toArray(URI[]::new);
        clients = Integer.parseInt(a[1]);
        roomSize = Integer.parseInt(a[2]);
        rate = Integer.parseInt(a[3]);
        warmupS = Integer.parseInt(a[4]);
        period = 1_000_000_000L / Integer.parseInt(a[3]);
        measureS = Integer.parseInt(a[5]);
        serverPids = a.length > 6 ? Arrays.stream(a[6].split(",")).mapToLong(Long::parseLong).toArray() : new long[0];
        if (clients < 2 || roomSize < 2 || rate < 1 || measureS < 1 || warmupS < 0 || clients > 20_000) {
            throw new IllegalArgumentException("need CLIENTS 2..20000, ROOM_SIZE >= 2, RATE >= 1, MEASURE_S >= 1");
        }
        for (int i = 0; i < ws.length; i++) {
            ws[i] = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        }
        long expect = (long) clients * rate * measureS;
        latencies = new long[(int) Math.min(20_000_000L, expect + expect / 2 + 1000)];
        if (bases.length > 1) {
            latSame = new long[latencies.length];
            latCross = new long[latencies.length];
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 6) {
            System.err.println("usage: java SignalingLoadBench.java BASE_URL[,…] CLIENTS ROOM_SIZE RATE WARMUP_S MEASURE_S [SERVER_PID[,…]]");
            System.exit(2);
        }
        SignalingLoadBench b = new SignalingLoadBench(args);
        String json = b.run();
        System.out.println(json);
        System.out.flush();
        // HttpClient's threads are daemon threads; nothing else keeps the JVM
        System.exit(0);
    }

    static void log(String s) {
        System.err.printf("[bench %tT] %s%n", System.currentTimeMillis(), s);
    }

    // ------------------------------------------------------------------------------------------------- REST

    String post(String path, String user, String body) throws IOException, InterruptedException {
        HttpRequest r = HttpRequest.newBuilder(bases[0].resolve(path)).timeout(Duration.ofSeconds(30))
                .header("X-Switchboard-User", user).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> resp = rest.send(r, HttpResponse.BodyHandlers.ofString());
        if (resp.statusCode() / 100 != 2) {
            throw new IOException("POST " + path + " as " + user + ": HTTP " + resp.statusCode() + " " + resp.body());
        }
        return resp.body();
    }

    static String find(Pattern p, String s) {
        Matcher m = p.matcher(s);
        return m.find() ? m.group(1) : null;
    }

    // ------------------------------------------------------------------------------------------------- one client

    final class Client implements WebSocket.Listener {
        final int index;
        final String room;
        final int expectedPeers;
        final Set<String> peers = ConcurrentHashMap.newKeySet();
        final StringBuilder partial = new StringBuilder();
        final CompletableFuture<Void> joined = new CompletableFuture<>();
        final CompletableFuture<Void> closed = new CompletableFuture<>();
        volatile WebSocket socket;
        volatile String self;
        volatile String ticket;
        volatile long connectNanos = -1;
        CompletableFuture<WebSocket> pending = CompletableFuture.completedFuture(null);
        int step, peerTurn;
        long lastTick = Long.MIN_VALUE / 2;
        /** The highest seq received (docs/signaling.md): acknowledged about once a second, as a real client does. */
        volatile long maxSeq;
        long acked, lastAck;
        String[] peerList = new String[0];

        Client(int index, String room, int expectedPeers) {
            this.index = index;
            this.room = room;
            this.expectedPeers = expectedPeers;
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            long now = System.nanoTime();
            String text;
            if (!last || partial.length() > 0) {
                partial.append(data);
                if (!last) {
                    webSocket.request(1);
                    return null;
                }
                text = partial.toString();
                partial.setLength(0);
            } else {
                text = data.toString();
            }
            handle(text, now);
            webSocket.request(1);
            return null;
        }

        void handle(String text, long now) {
            int sq = text.lastIndexOf(SEQ);
            if (sq >= 0) { // the highest, not the highest unbroken run: this client never resumes, so the gap is moot
                int end = sq + SEQ.length();
                while (end < text.length() && Character.isDigit(text.charAt(end))) {
                    end++;
                }
                if (end > sq + SEQ.length()) {
                    maxSeq = Math.max(maxSeq, Long.parseLong(text, sq + SEQ.length(), end, 10));
                }
            }
            int ts = text.indexOf(TS);
            if (ts >= 0) {          // offer, answer or candidate from a peer
                int end = ts + TS.length();
                while (end < text.length() && Character.isDigit(text.charAt(end))) {
                    end++;
                }
                long sent = Long.parseLong(text, ts + TS.length(), end, 10);
                deliveredAll.increment();
                if (sent >= windowStart && sent < windowEnd) {
                    deliveredWindow.increment();
                    int i = latN.getAndIncrement();
                    if (i < latencies.length) {
                        latencies[i] = now - sent;
                    }
                    if (latSame != null && end + 1 < text.length() && text.charAt(end) == '.') {
                        boolean same = text.charAt(end + 1) - '0' == index % bases.length;
                        int k = (same ? latSameN : latCrossN).getAndIncrement();
                        if (k < latencies.length) {
                            (same ? latSame : latCross)[k] = now - sent;
                        }
                    }
                }
                return;
            }
            String type = find(TYPE, text);
            if (type == null) {
                count(errors, "unparsable-frame");
                return;
            }
            switch (type) {
                case "joined" -> {
                    self = find(PARTICIPANT, text);
                    int list = text.indexOf("\"participants\"");
                    if (list >= 0) {
                        Matcher m = ID.matcher(text);
                        m.region(list, text.length());
                        while (m.find()) {
                            peers.add(m.group(1));
                        }
                    }
                    joined.complete(null);
                }
                case "participant-joined" -> {
                    String p = find(PARTICIPANT_OBJ, text);
                    if (p != null) {
                        peers.add(p);
                    }
                }
                case "participant-left" -> {
                    String p = find(PARTICIPANT, text);
                    if (p != null) {
                        peers.remove(p);
                    }
                }
                case "error" -> {
                    String code = find(CODE, text);
                    count(errors, code == null ? "error-without-code" : code);
                    if (!joined.isDone()) {
                        joined.completeExceptionally(new IOException("error before joined: " + text));
                    }
                }
                default -> count(errors, "unexpected-" + type);
            }
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            count(closes, statusCode + (reason == null || reason.isEmpty() ? "" : " " + reason.split(":")[0]));
            joined.completeExceptionally(new IOException("closed " + statusCode + " " + reason));
            closed.complete(null);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            count(closes, "error " + error.getClass().getSimpleName());
            joined.completeExceptionally(error);
            closed.complete(null);
        }

        /** Sends unless the previous send is still in progress (the JDK WebSocket allows one at a time). */
        synchronized boolean send(String text) {
            if (!pending.isDone()) {
                return false;
            }
            pending = socket.sendText(text, true);
            pending.whenComplete((w, e) -> {
                if (e != null) {
                    sendFailed.increment();
                }
            });
            return true;
        }

        /** One tick of the load: the next message of the pattern to the next peer. */
        void tick() {
            if (peerList.length == 0 || socket == null) {
                return;
            }
            long now = System.nanoTime();
            // a starved ticker runs its missed ticks back to back: drop them rather than burst (a burst would
            // measure the client's stall and could cross the server's messages-per-second bucket)
            if (now - lastTick < period / 2) {
                lateTicks.increment();
                return;
            }
            lastTick = now;
            String to = peerList[peerTurn++ % peerList.length];
            String type = PATTERN[step++ % PATTERN.length];
            String msg;
            if (type.equals("candidate")) {
                msg = "{\"type\":\"candidate\",\"to\":\"" + to + "\",\"candidate\":{\"candidate\":\"candidate:"
                        + (step % 4) + " 1 udp 2122260223 192.0.2." + (index % 250 + 1) + " " + (40000 + step % 20000)
                        + " typ host generation 0 ufrag " + TS + now + node() + "\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}}";
            } else {
                msg = "{\"type\":\"" + type + "\",\"to\":\"" + to + "\",\"sdp\":\"v=0\\r\\no=- " + TS + now + node()
                        + " 2 IN IP4 127.0.0.1" + SDP_BODY + "\"}";
            }
            if (!send(msg)) {
                sendBusy.increment();
                return;
            }
            sentAll.increment();
            if (now >= windowStart && now < windowEnd) {
                sentWindow.increment();
                bytesWindow.add(msg.length());
            }
            long seq = maxSeq;
            if (seq > acked && now - lastAck >= 1_000_000_000L) {
                ack(seq);
                acked = seq;
                lastAck = now;
            }
        }

        /** An ack after the message under way (one send at a time), so the load's own sends keep their pace. */
        synchronized void ack(long seq) {
            pending = pending.thenCompose(w -> socket.sendText("{\"type\":\"ack\",\"seq\":" + seq + "}", true));
        }

        /** The sender's node after its timestamp ({@code .k}), when there are several. */
        String node() {
            return bases.length > 1 ? "." + index % bases.length : "";
        }
    }

    static void count(Map<String, LongAdder> m, String key) {
        m.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    // ------------------------------------------------------------------------------------------------- the run

    String run() throws Exception {
        long t0 = System.nanoTime();
        int rooms = (clients + roomSize - 1) / roomSize;
        log("creating " + rooms + " rooms of " + roomSize);
        List<String> roomIds = new ArrayList<>();
        for (int r = 0; r < rooms; r++) {
            String body = post("api/rooms", "bench-owner",
                    "{\"name\":\"bench-" + r + "\",\"maxParticipants\":" + roomSize + ",\"mode\":\"p2p\"}");
            String id = find(ID, body);
            if (id == null) {
                throw new IOException("no room id in " + body);
            }
            roomIds.add(id);
        }
        for (int i = 0; i < clients; i++) {
            int r = i / roomSize;
            int members = Math.min(roomSize, clients - r * roomSize);
            all.add(new Client(i, roomIds.get(r), members - 1));
        }

        Proc idle = Proc.read(serverPids);
        log("connecting " + clients + " clients (ticket, WebSocket handshake, join)");
        URI[] signal = Arrays.stream(bases).map(b -> URI.create(b.toString().replaceFirst("^http", "ws") + "signal"))
                .toArray(URI[]::new);
        Semaphore inFlight = new Semaphore(32);
        long connectStart = System.nanoTime();
        AtomicInteger connectFailed = new AtomicInteger();
        Map<String, LongAdder> connectErrors = new ConcurrentHashMap<>();
        CountDownLatch connectDone = new CountDownLatch(clients);
        long connectDeadline = connectStart + TimeUnit.SECONDS.toNanos(60 + clients / 20);
        for (Client c : all) {
            if (!inFlight.tryAcquire(Math.max(1, connectDeadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                connectFailed.incrementAndGet();
                count(connectErrors, "not started before the deadline");
                connectDone.countDown();
                continue;
            }
            long s = System.nanoTime();
            HttpRequest ticketRequest = HttpRequest.newBuilder(bases[c.index % bases.length].resolve("api/rooms/" + c.room + "/tickets"))
                    .timeout(Duration.ofSeconds(30)).header("X-Switchboard-User", "bench-u" + c.index)
                    .POST(HttpRequest.BodyPublishers.noBody()).build();
            rest.sendAsync(ticketRequest, HttpResponse.BodyHandlers.ofString())
                    .thenCompose(resp -> {
                        String ticket = find(TICKET, resp.body());
                        if (resp.statusCode() / 100 != 2 || ticket == null) {
                            throw new IllegalStateException("ticket: HTTP " + resp.statusCode() + " " + resp.body());
                        }
                        c.ticket = ticket;
                        return ws[c.index % ws.length].newWebSocketBuilder().connectTimeout(Duration.ofSeconds(20))
                                .buildAsync(signal[c.index % signal.length], c);
                    })
                    .thenCompose(w -> {
                        c.socket = w;
                        c.send("{\"type\":\"join\",\"room\":\"" + c.room + "\",\"ticket\":\"" + c.ticket + "\"}");
                        return c.joined;
                    })
                    .orTimeout(30, TimeUnit.SECONDS)
                    .whenComplete((v, e) -> {
                        if (e == null) {
                            c.connectNanos = System.nanoTime() - s;
                        } else {
                            connectFailed.incrementAndGet();
                            Throwable cause = e.getCause() != null ? e.getCause() : e;
                            count(connectErrors, cause.getClass().getSimpleName() + ": "
                                    + String.valueOf(cause.getMessage()).replaceAll("[0-9a-zA-Z]{12,}", "…"));
                        }
                        inFlight.release();
                        connectDone.countDown();
                    });
        }
        connectDone.await(Math.max(1, connectDeadline - System.nanoTime() + TimeUnit.SECONDS.toNanos(35)),
                TimeUnit.NANOSECONDS);
        double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
        long[] connectTimes = all.stream().mapToLong(c -> c.connectNanos).filter(x -> x >= 0).sorted().toArray();
        log(connectTimes.length + " joined, " + connectFailed.get() + " failed, in " + String.format("%.1f", connectSeconds) + " s");

        // every client learns all of its room's peers through joined + participant-joined
        long peersDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        int ready = 0;
        while (System.nanoTime() < peersDeadline) {
            ready = (int) all.stream().filter(c -> c.joined.isDone() && !c.joined.isCompletedExceptionally()
                    && c.peers.size() >= c.expectedPeers).count();
            if (ready == connectTimes.length) {
                break;
            }
            Thread.sleep(100);
        }
        log(ready + " clients know all their room peers");
        for (Client c : all) {
            c.peerList = c.peers.toArray(new String[0]);
        }

        Proc before0 = Proc.read(serverPids);
        log("sending: " + rate + " msgs/s per client for " + warmupS + " s warm-up + " + measureS + " s measured");
        ScheduledExecutorService ticker = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "tick");
            t.setDaemon(true);
            return t;
        });
        long sendStart = System.nanoTime();
        windowStart = sendStart + TimeUnit.SECONDS.toNanos(warmupS);
        windowEnd = windowStart + TimeUnit.SECONDS.toNanos(measureS);
        List<ScheduledFuture<?>> ticks = new ArrayList<>();
        for (Client c : all) {
            if (c.peerList.length > 0 && c.socket != null && !c.closed.isDone()) {
                ticks.add(ticker.scheduleAtFixedRate(c::tick, ThreadLocalRandom.current().nextLong(period), period,
                        TimeUnit.NANOSECONDS));
            }
        }
        sleepUntil(windowStart);
        Proc before = Proc.read(serverPids);
        Proc selfBefore = Proc.read(ProcessHandle.current().pid());
        long[] machineBefore = machineTicks();
        sleepUntil(windowEnd);
        long[] machineAfter = machineTicks();
        Proc after = Proc.read(serverPids);
        Proc selfAfter = Proc.read(ProcessHandle.current().pid());
        ticks.forEach(f -> f.cancel(false));
        ticker.shutdown();
        ticker.awaitTermination(5, TimeUnit.SECONDS);
        double windowSeconds = (windowEnd - windowStart) / 1e9;

        // the last messages may still be on their way (also those sent after the window, before the ticks stopped:
        // leaving before they arrive would turn them into unknown-participant errors)
        long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        long last = -1;
        int stable = 0;
        while (System.nanoTime() < drainDeadline && deliveredAll.sum() < sentAll.sum() && stable < 20) {
            Thread.sleep(100);
            long d = deliveredAll.sum();
            stable = d == last ? stable + 1 : 0;
            last = d;
        }

        log("leaving");
        Map<String, LongAdder> sendErrorsBeforeLeave = new TreeMap<>(errors);
        for (Client c : all) {
            if (c.socket != null && !c.closed.isDone()) {
                for (int i = 0; i < 50 && !c.send("{\"type\":\"leave\"}"); i++) {
                    Thread.sleep(10);
                }
            }
        }
        long closeDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (Client c : all) {
            if (c.socket == null) {
                continue;
            }
            try {
                c.closed.get(Math.max(1, closeDeadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                count(closes, "not closed by the server within 10 s (aborted)");
                c.socket.abort();
            }
        }

        int deleted = 0;
        for (String id : roomIds) {     // leaves the server as it was (the rooms' rows and cache entries)
            HttpRequest r = HttpRequest.newBuilder(bases[0].resolve("api/rooms/" + id)).timeout(Duration.ofSeconds(30))
                    .header("X-Switchboard-User", "bench-owner").DELETE().build();
            try {
                if (rest.send(r, HttpResponse.BodyHandlers.discarding()).statusCode() / 100 == 2) {
                    deleted++;
                }
            } catch (IOException e) {
                log("DELETE room " + id + ": " + e);
            }
        }
        log("deleted " + deleted + " of " + roomIds.size() + " rooms");

        int n = Math.min(latN.get(), latencies.length);
        long[] lat = Arrays.copyOf(latencies, n);
        Arrays.sort(lat);
        StringBuilder j = new StringBuilder("{");
        kv(j, "clients", clients).kv(j, "room_size", roomSize).kv(j, "rooms", rooms).kv(j, "rate_per_client", rate)
                .kv(j, "warmup_s", warmupS).kv(j, "measure_s", measureS);
        kv(j, "joined", connectTimes.length).kv(j, "connect_failed", connectFailed.get())
                .kv(j, "connect_s", round(connectSeconds, 2))
                .kv(j, "connect_p50_ms", ms(pct(connectTimes, 50))).kv(j, "connect_p99_ms", ms(pct(connectTimes, 99)))
                .kv(j, "connect_max_ms", ms(connectTimes.length == 0 ? -1 : connectTimes[connectTimes.length - 1]))
                .kv(j, "ready", ready).kv(j, "sending_clients", ticks.size());
        kv(j, "window_s", round(windowSeconds, 3)).kv(j, "offered_per_s", (long) ticks.size() * rate)
                .kv(j, "sent", sentWindow.sum()).kv(j, "delivered", deliveredWindow.sum())
                .kv(j, "lost", sentWindow.sum() - deliveredWindow.sum())
                .kv(j, "sent_per_s", round(sentWindow.sum() / windowSeconds, 1))
                .kv(j, "delivered_per_s", round(deliveredWindow.sum() / windowSeconds, 1))
                .kv(j, "avg_msg_bytes", sentWindow.sum() == 0 ? 0 : bytesWindow.sum() / sentWindow.sum())
                .kv(j, "send_busy", sendBusy.sum()).kv(j, "late_ticks", lateTicks.sum()).kv(j, "send_failed", sendFailed.sum());
        kv(j, "lat_p50_ms", ms(pct(lat, 50))).kv(j, "lat_p90_ms", ms(pct(lat, 90)))
                .kv(j, "lat_p99_ms", ms(pct(lat, 99))).kv(j, "lat_p999_ms", ms(pct(lat, 99.9)))
                .kv(j, "lat_max_ms", ms(n == 0 ? -1 : lat[n - 1])).kv(j, "lat_samples", n);
        if (latSame != null) {
            for (String path : new String[] {"same", "cross"}) {
                boolean same = path.equals("same");
                int m = Math.min((same ? latSameN : latCrossN).get(), latencies.length);
                long[] l = Arrays.copyOf(same ? latSame : latCross, m);
                Arrays.sort(l);
                kv(j, "lat_" + path + "_p50_ms", ms(pct(l, 50))).kv(j, "lat_" + path + "_p99_ms", ms(pct(l, 99)))
                        .kv(j, "lat_" + path + "_max_ms", ms(m == 0 ? -1 : l[m - 1])).kv(j, "lat_" + path + "_samples", m);
            }
            kv(j, "nodes", bases.length);
        }
        if (serverPids.length > 0 && before != null && after != null) {
            double cpu = after.cpuSeconds - before.cpuSeconds;
            kv(j, "server_cores", round(cpu / windowSeconds, 3))
                    .kv(j, "server_us_per_msg", deliveredWindow.sum() == 0 ? -1 : round(cpu * 1e6 / deliveredWindow.sum(), 1))
                    .kv(j, "server_rss_before_connect_kb", idle == null ? -1 : idle.rssKb)
                    .kv(j, "server_rss_connected_kb", before0 == null ? -1 : before0.rssKb).kv(j, "server_rss_kb", after.rssKb)
                    .kv(j, "server_threads", after.threads).kv(j, "server_fds", after.fds);
        }
        if (selfBefore != null && selfAfter != null) {
            kv(j, "client_cores", round((selfAfter.cpuSeconds - selfBefore.cpuSeconds) / windowSeconds, 3));
        }
        if (machineBefore != null && machineAfter != null) {
            long total = machineAfter[0] - machineBefore[0], idleTicks = machineAfter[1] - machineBefore[1];
            kv(j, "machine_busy_cores", round((total - idleTicks) / 100.0 / windowSeconds, 2))
                    .kv(j, "machine_cpus", Runtime.getRuntime().availableProcessors());
        }
        j.append("\"errors_during_load\":").append(map(sendErrorsBeforeLeave)).append(',');
        j.append("\"errors\":").append(map(errors)).append(',');
        j.append("\"closes\":").append(map(closes)).append(',');
        j.append("\"connect_errors\":").append(map(connectErrors)).append(',');
        kv(j, "sent_all", sentAll.sum()).kv(j, "delivered_all", deliveredAll.sum()).kv(j, "rooms_deleted", deleted);
        kv(j, "total_s", round((System.nanoTime() - t0) / 1e9, 1));
        j.setLength(j.length() - 1);
        return j.append('}').toString();
    }

    /** All CPUs' ticks (user … steal) and idle + iowait ticks, from /proc/stat; null where it cannot be read. */
    static long[] machineTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i <= 8 && i < f.length; i++) {
                total += Long.parseLong(f[i]);
            }
            return new long[]{total, Long.parseLong(f[4]) + Long.parseLong(f[5])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static void sleepUntil(long nanos) throws InterruptedException {
        long d;
        while ((d = nanos - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(d);
        }
    }

    static long pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return -1;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    static double ms(long nanos) {
        return nanos < 0 ? -1 : round(nanos / 1e6, 3);
    }

    static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    static String map(Map<String, LongAdder> m) {
        StringBuilder b = new StringBuilder("{");
        new TreeMap<>(m).forEach((k, v) -> b.append('"').append(k.replace("\\", "\\\\").replace("\"", "'"))
                .append("\":").append(v.sum()).append(','));
        if (b.length() > 1) {
            b.setLength(b.length() - 1);
        }
        return b.append('}').toString();
    }

    /** Chained "key":value, into a JSON object being built. */
    static final class KV {
        KV kv(StringBuilder j, String k, Object v) {
            j.append('"').append(k).append("\":").append(v).append(',');
            return this;
        }
    }

    static KV kv(StringBuilder j, String k, Object v) {
        return new KV().kv(j, k, v);
    }

    /** CPU seconds, RSS, threads and open descriptors of a process, from /proc (Linux). */
    record Proc(double cpuSeconds, long rssKb, int threads, int fds) {
        /** The sum over several processes (the nodes of a cluster); null if one cannot be read. */
        static Proc read(long[] pids) {
            if (pids.length == 0) {
                return null;
            }
            Proc sum = new Proc(0, 0, 0, 0);
            for (long pid : pids) {
                Proc p = read(pid);
                if (p == null) {
                    return null;
                }
                sum = new Proc(sum.cpuSeconds + p.cpuSeconds, sum.rssKb + p.rssKb, sum.threads + p.threads,
                        sum.fds + p.fds);
            }
            return sum;
        }

        static Proc read(long pid) {
            if (pid <= 0) {
                return null;
            }
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                double cpu = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;   // CLK_TCK 100 on Linux
                long rss = 0;
                int threads = 0;
                for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                    if (line.startsWith("VmRSS:")) {
                        rss = Long.parseLong(line.replaceAll("\\D", ""));
                    } else if (line.startsWith("Threads:")) {
                        threads = Integer.parseInt(line.replaceAll("\\D", ""));
                    }
                }
                int fds;
                try (var s = Files.list(Path.of("/proc/" + pid + "/fd"))) {
                    fds = (int) s.count();
                } catch (IOException e) {
                    fds = -1;
                }
                return new Proc(cpu, rss, threads, fds);
            } catch (IOException | RuntimeException e) {
                log("cannot read /proc/" + pid + ": " + e);
                return null;
            }
        }
    }
}
