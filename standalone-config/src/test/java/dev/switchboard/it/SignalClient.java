package dev.switchboard.it;

import jakarta.json.JsonObject;

import java.net.URI;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A signaling client on the JDK's WebSocket: queues what the server sends and remembers how it closed. Numbered
 * messages (docs/signaling.md, "Sequence numbers and acknowledgements") are counted as they arrive: one whose seq came
 * before is not queued but counted as a duplicate; {@link #ack} and {@link #lastSeq} are what a real client sends.
 */
final class SignalClient implements AutoCloseable {

    /** How the server closed the socket. */
    record Closed(int code, String reason) {
    }

    static final Duration WAIT = Duration.ofSeconds(10);

    private final LinkedBlockingQueue<JsonObject> inbox = new LinkedBlockingQueue<>();
    private final CompletableFuture<Closed> closed = new CompletableFuture<>();
    private final WebSocket ws;
    private final Object seqLock = new Object();
    /** Every seq in the order it arrived, duplicates included. */
    private final List<Long> wireSeqs = new ArrayList<>();
    private final java.util.Set<Long> ahead = new java.util.HashSet<>();
    private long contiguous;
    private int duplicates;
    String participant;
    String resumeToken;
    JsonObject welcome;

    /** Where the test server's socket is; its page's own origin is {@link TestServer#BASE}. */
    static final URI SIGNAL = URI.create("ws://127.0.0.1:" + (8080 + TestServer.PORT_OFFSET) + "/signal");

    private SignalClient(URI signal, String origin) throws Exception {
        WebSocket.Builder builder = TestServer.http().newWebSocketBuilder();
        if (origin != null) {
            builder.header("Origin", origin); // a browser's upgrade always carries one; the JDK's sends none
        }
        ws = builder.buildAsync(signal, new WebSocket.Listener() {
                    private final StringBuilder text = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                        text.append(data);
                        if (last) {
                            JsonObject m = TestServer.object(text.toString());
                            if (fresh(m)) {
                                inbox.add(m);
                            }
                            text.setLength(0);
                        }
                        w.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket w, int code, String reason) {
                        closed.complete(new Closed(code, reason));
                        return null;
                    }

                    @Override
                    public void onError(WebSocket w, Throwable error) {
                        closed.complete(new Closed(-1, String.valueOf(error)));
                    }
                }).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** False for a seq seen before (a duplicate: counted, not queued); true for everything else. */
    private boolean fresh(JsonObject m) {
        if (!(m.get("seq") instanceof jakarta.json.JsonNumber n)) {
            return true;
        }
        long seq = n.longValue();
        synchronized (seqLock) {
            wireSeqs.add(seq);
            if (seq <= contiguous || !ahead.add(seq)) {
                duplicates++;
                return false;
            }
            while (ahead.remove(contiguous + 1)) {
                contiguous++;
            }
            return true;
        }
    }

    /** The highest seq of an unbroken run from 1 received: what a resume names as lastSeq. */
    long lastSeq() {
        synchronized (seqLock) {
            return contiguous;
        }
    }

    /** The seqs as they came off the wire, duplicates included. */
    List<Long> wireSeqs() {
        synchronized (seqLock) {
            return List.copyOf(wireSeqs);
        }
    }

    /** Numbered messages received again (and not queued). */
    int duplicates() {
        synchronized (seqLock) {
            return duplicates;
        }
    }

    /** Acknowledges everything up to {@link #lastSeq}; returns it. */
    long ack() throws Exception {
        long seq = lastSeq();
        send("{\"type\":\"ack\",\"seq\":" + seq + "}");
        return seq;
    }

    /**
     * Connects to {@code signal} and resumes with {@code token}, naming {@code lastSeq} (null: none, as an old
     * client); seqs up to it count as seen. Checks the resumed reply.
     */
    static SignalClient resume(URI signal, String token, Long lastSeq) throws Exception {
        SignalClient c = connect(signal);
        if (lastSeq != null) {
            synchronized (c.seqLock) {
                c.contiguous = lastSeq;
            }
        }
        c.send("{\"type\":\"resume\",\"token\":\"" + token + "\"" + (lastSeq == null ? "" : ",\"lastSeq\":" + lastSeq) + "}");
        c.welcome = c.next("resumed");
        c.participant = c.welcome.getString("participant");
        c.resumeToken = c.welcome.getString("resumeToken");
        return c;
    }

    static SignalClient connect() throws Exception {
        return new SignalClient(SIGNAL, null);
    }

    /** Connects to the socket of another server (a cluster node). */
    static SignalClient connect(URI signal) throws Exception {
        return new SignalClient(signal, null);
    }

    /** Connects as a page of this origin would. */
    static SignalClient connect(String origin) throws Exception {
        return new SignalClient(SIGNAL, origin);
    }

    /** The HTTP status a handshake from a page of this origin is refused with; fails if it is accepted. */
    static int refusedStatus(String origin) throws Exception {
        try (SignalClient accepted = new SignalClient(SIGNAL, origin)) {
            fail("the handshake from " + origin + " was accepted");
            return 0;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                return refused.getResponse().statusCode();
            }
            throw e;
        }
    }

    /** Connects and joins with a fresh ticket of {@code user}; checks the joined reply. */
    static SignalClient join(String room, String user) throws Exception {
        return join(SIGNAL, room, Rooms.ticket(room, user));
    }

    /** Joins through the server at {@code signal} (a node of a cluster, say) with {@code ticket}. */
    static SignalClient join(URI signal, String room, String ticket) throws Exception {
        SignalClient c = connect(signal);
        c.send("{\"type\":\"join\",\"room\":\"" + room + "\",\"ticket\":\"" + ticket + "\"}");
        c.welcome = c.next("joined");
        c.participant = c.welcome.getString("participant");
        c.resumeToken = c.welcome.getString("resumeToken");
        return c;
    }

    void send(String json) throws Exception {
        ws.sendText(json, true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    void sendBinary(byte[] data) throws Exception {
        ws.sendBinary(java.nio.ByteBuffer.wrap(data), true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Sends many as fast as the socket takes them; stops quietly when the server closed it. */
    int flood(String json, int count) {
        int sent = 0;
        try {
            for (; sent < count; sent++) {
                ws.sendText(json, true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
        } catch (Exception closedMeanwhile) {
            // counted up to here
        }
        return sent;
    }

    /** The next message, which must be of this type. */
    JsonObject next(String type) throws Exception {
        JsonObject m = inbox.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertNotNull(m, "no '" + type + "' within " + WAIT + (closed.isDone() ? "; closed " + closed.get() : ""));
        assertEquals(type, m.getString("type"), m.toString());
        return m;
    }

    /** The next message of this type, skipping others (which are returned in order through {@code skipped}). */
    JsonObject nextOfType(String type, List<JsonObject> skipped) throws Exception {
        JsonObject m = pollOfType(type, skipped, WAIT);
        if (m == null) {
            fail("no '" + type + "' within " + WAIT + "; got " + skipped);
        }
        return m;
    }

    /** As {@link #nextOfType}, but null when none came within {@code wait}. */
    JsonObject pollOfType(String type, List<JsonObject> skipped, Duration wait) throws Exception {
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            JsonObject m = inbox.poll(100, TimeUnit.MILLISECONDS);
            if (m != null) {
                if (m.getString("type").equals(type)) {
                    return m;
                }
                skipped.add(m);
            }
        }
        return null;
    }

    /** Nothing arrives for a while (quiet == not a recipient). */
    void expectNothing(Duration quiet) throws Exception {
        JsonObject m = inbox.poll(quiet.toMillis(), TimeUnit.MILLISECONDS);
        if (m != null) {
            fail("expected nothing, got " + m);
        }
    }

    List<JsonObject> drain() {
        List<JsonObject> out = new ArrayList<>();
        inbox.drainTo(out);
        return out;
    }

    Closed closed(Duration wait) throws Exception {
        return closed.get(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    Closed closed() throws Exception {
        return closed(WAIT);
    }

    boolean isClosed() {
        return closed.isDone();
    }

    /** Drops the TCP connection without a close frame, like a lost network. */
    void abort() {
        ws.abort();
    }

    @Override
    public void close() {
        if (!closed.isDone()) {
            ws.abort();
        }
    }
}
