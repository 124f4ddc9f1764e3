// TurnAllocBench: a tiny TURN (RFC 8656) load client for bench/turn-vs-coturn. JDK 17 source launch, no dependencies:
//
//   java bench/TurnAllocBench.java rate HOST PORT USER PASS CLIENTS MAX_CYCLES MAX_SECONDS
//   java bench/TurnAllocBench.java hold HOST PORT USER PASS CLIENTS COUNT MAX_SECONDS READY_FILE RELEASE_FILE
//
// rate: CLIENTS cycles in flight at all times, each  Allocate -> 401 -> Allocate (long-term credentials) ->
//       Refresh(0), every cycle from a fresh UDP socket (a fresh 5-tuple: coturn keeps an allocation ~1 s after
//       Refresh 0), until MAX_CYCLES cycles are done in total or MAX_SECONDS pass. One thread drives them all through
//       a Selector (-Dbench.threads=T: T threads, each with its share of the clients): a thread per client spent more
//       CPU on waking and parking than the servers under test spent on the cycle, and the bench shares the server's
//       CPUs. Prints one JSON line: completed cycles, cycles/s, latency percentiles, failures by cause.
// hold: CLIENTS threads create COUNT allocations in total and keep them (one open socket each), write READY_FILE
//       (JSON line), wait until RELEASE_FILE exists (or MAX_SECONDS pass), then Refresh(0) every one of them and print
//       one JSON line.
//
// -Dbench.sources=N (N > 1, server on 127.x): sockets take their source address in turn from 127.0.0.2 ..
// 127.0.0.(N+1), all on loopback, as many clients from many hosts would; default 1 (the server's own address).
// -Dbench.ports=A-B: local ports, handed out in turn (default 50000-60999).
//
// Speaks just enough STUN: 20-byte header, REQUESTED-TRANSPORT, USERNAME, REALM, NONCE, LIFETIME, MESSAGE-INTEGRITY
// (HMAC-SHA1 keyed with MD5(user:realm:pass)), ERROR-CODE. Retransmits after 500 ms, at most 3 attempts per request.
// Bounded in count and time; all traffic goes where HOST says (the bench script only ever passes 127.0.0.1).

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

public class TurnAllocBench {

    static final int MAGIC = 0x2112A442;
    static final int ALLOCATE = 0x0003, REFRESH = 0x0004;
    static final int A_USERNAME = 0x0006, A_MI = 0x0008, A_ERROR = 0x0009, A_LIFETIME = 0x000D, A_REALM = 0x0014,
            A_NONCE = 0x0015, A_REQ_TRANSPORT = 0x0019;
    static final int TIMEOUT_MS = 500, ATTEMPTS = 3;

    static InetSocketAddress server;
    static String user, pass;
    static final SecureRandom RANDOM = new SecureRandom();
    static final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
    static final LongAdder retransmits = new LongAdder();

    public static void main(String[] a) throws Exception {
        if (a.length < 8) {
            System.err.println("usage: rate HOST PORT USER PASS CLIENTS MAX_CYCLES MAX_SECONDS | "
                    + "hold HOST PORT USER PASS CLIENTS COUNT MAX_SECONDS READY_FILE RELEASE_FILE");
            System.exit(2);
        }
        server = new InetSocketAddress(InetAddress.getByName(a[1]), Integer.parseInt(a[2]));
        sources = sources();
        user = a[3];
        pass = a[4];
        int clients = Integer.parseInt(a[5]);
        long count = Long.parseLong(a[6]);
        double maxSeconds = Double.parseDouble(a[7]);
        if (a[0].equals("rate")) {
            rate(clients, count, maxSeconds);
        } else if (a[0].equals("hold") && a.length >= 10) {
            hold(clients, (int) count, maxSeconds, Path.of(a[8]), Path.of(a[9]));
        } else {
            System.err.println("unknown mode " + a[0]);
            System.exit(2);
        }
    }

    // ---------------------------------------------------------------------------------------------------- modes

    static void rate(int clients, long maxCycles, double maxSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + (long) (maxSeconds * 1e9);
        AtomicLong tickets = new AtomicLong(maxCycles);
        int threadCount = Math.max(1, Math.min(clients, Integer.getInteger("bench.threads", 1)));
        Driver[] drivers = new Driver[threadCount];
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < threadCount; i++) {
            Driver d = new Driver(clients / threadCount + (i < clients % threadCount ? 1 : 0), tickets, deadline);
            drivers[i] = d;
            Thread t = new Thread(d::run, "alloc-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000 + 5_000));
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long total = 0;
        for (Driver d : drivers) {
            total += d.done;
        }
        long[] all = new long[(int) total];
        int k = 0;
        for (Driver d : drivers) {
            System.arraycopy(d.latencies, 0, all, k, d.done);
            k += d.done;
        }
        Arrays.sort(all, 0, k);
        System.out.println("{\"mode\":\"rate\",\"clients\":" + clients + ",\"threads\":" + threadCount
                + ",\"sources\":" + sources.length + ",\"cycles\":" + total
                + ",\"seconds\":" + fmt(elapsed) + ",\"cycles_per_s\":" + fmt(total / elapsed)
                + ",\"p50_ms\":" + fmt(pct(all, k, 0.50)) + ",\"p99_ms\":" + fmt(pct(all, k, 0.99))
                + ",\"retransmits\":" + retransmits.sum() + ",\"failures\":" + failuresJson() + "}");
    }

    /**
     * One thread's share of the rate mode: {@code slots} cycles in flight on non-blocking sockets under one
     * Selector. A slot that finishes (or gives up) starts the next cycle on a fresh socket while tickets last and
     * the deadline has not passed; in-flight cycles may finish up to 2 s after it.
     */
    static final class Driver {
        static final int ALLOCATE_1 = 0, ALLOCATE_2 = 1, REFRESH_0 = 2;

        final int slots;
        final AtomicLong tickets;
        final long deadline;
        final ByteBuffer rx = ByteBuffer.allocate(1500);
        long[] latencies = new long[4096];
        int done;
        int active;

        Driver(int slots, AtomicLong tickets, long deadline) {
            this.slots = slots;
            this.tickets = tickets;
            this.deadline = deadline;
        }

        /** A cycle in flight: its socket, the request awaiting an answer and its send time. */
        final class Slot {
            final Client client = new Client();
            DatagramChannel channel;
            int step;
            int attempts;
            int staleNonces;
            byte[] request;
            long sentAt;
            long startedAt;
        }

        void run() {
            try (Selector selector = Selector.open()) {
                Slot[] all = new Slot[slots];
                for (int i = 0; i < slots; i++) {
                    all[i] = new Slot();
                    begin(selector, all[i]);
                }
                long hardStop = deadline + 2_000_000_000L;
                long nextScan = System.nanoTime();
                while (active > 0 && System.nanoTime() < hardStop) {
                    selector.select(20);
                    for (SelectionKey key : selector.selectedKeys()) {
                        Slot slot = (Slot) key.attachment();
                        if (key.isValid() && key.isReadable()) {
                            readable(selector, slot);
                        }
                    }
                    selector.selectedKeys().clear();
                    long now = System.nanoTime();
                    if (now >= nextScan) { // retransmissions: a scan every 20 ms is plenty for a 500 ms timer
                        nextScan = now + 20_000_000L;
                        for (Slot slot : all) {
                            if (slot.channel != null && now - slot.sentAt > TIMEOUT_MS * 1_000_000L) {
                                if (++slot.attempts >= ATTEMPTS) {
                                    fail("timeout");
                                    end(selector, slot, false);
                                } else {
                                    retransmits.increment();
                                    send(slot);
                                }
                            }
                        }
                    }
                }
                for (Slot slot : all) {
                    if (slot.channel != null) {
                        fail("unfinished at the deadline");
                        slot.channel.close();
                    }
                }
            } catch (IOException e) {
                fail("io: " + e.getClass().getSimpleName());
            }
        }

        /** Starts a new cycle on a fresh socket, if tickets and time remain. */
        void begin(Selector selector, Slot slot) throws IOException {
            while (System.nanoTime() < deadline && tickets.getAndDecrement() > 0) {
                DatagramChannel ch = openChannel();
                if (ch == null) {
                    continue;
                }
                ch.configureBlocking(false);
                ch.register(selector, SelectionKey.OP_READ, slot);
                slot.channel = ch;
                slot.startedAt = System.nanoTime();
                slot.staleNonces = 0;
                active++;
                next(slot, ALLOCATE_1, slot.client.request(ALLOCATE, false, -1));
                return;
            }
        }

        void next(Slot slot, int step, byte[] request) throws IOException {
            slot.step = step;
            slot.request = request;
            slot.attempts = 0;
            send(slot);
        }

        void send(Slot slot) throws IOException {
            slot.sentAt = System.nanoTime();
            slot.channel.send(ByteBuffer.wrap(slot.request), server);
        }

        void readable(Selector selector, Slot slot) throws IOException {
            while (slot.channel != null) {
                rx.clear();
                if (slot.channel.receive(rx) == null) {
                    return;
                }
                int n = rx.position();
                byte[] r = rx.array();
                if (n < 20 || !Arrays.equals(r, 8, 20, slot.request, 8, 20)) {
                    continue; // a late answer to an earlier transmission's predecessor: not ours
                }
                answered(selector, slot, Arrays.copyOf(r, n));
            }
        }

        void answered(Selector selector, Slot slot, byte[] r) throws IOException {
            Client c = slot.client;
            int cls = cls(r);
            int code = cls == 0x0110 ? errorCode(r) : 0;
            switch (slot.step) {
                case ALLOCATE_1 -> {
                    if (code != 401) {
                        fail(cls == 0x0100 ? "Allocate without auth succeeded" : "first Allocate: " + describe(r));
                        end(selector, slot, false);
                    } else if (!c.learn(r)) {
                        fail("401 without REALM/NONCE");
                        end(selector, slot, false);
                    } else {
                        next(slot, ALLOCATE_2, c.request(ALLOCATE, true, -1));
                    }
                }
                case ALLOCATE_2, REFRESH_0 -> {
                    boolean refresh = slot.step == REFRESH_0;
                    if (cls == 0x0100 || (refresh && code == 437)) {
                        // A retransmitted Refresh(0) whose first copy already deleted the allocation earns 437: done.
                        if (refresh) {
                            end(selector, slot, true);
                        } else {
                            next(slot, REFRESH_0, c.request(REFRESH, true, 0));
                        }
                    } else if (code == 438 && attr(r, A_NONCE) != null && ++slot.staleNonces <= 2) {
                        c.nonce = attr(r, A_NONCE);
                        next(slot, slot.step, c.request(refresh ? REFRESH : ALLOCATE, true, refresh ? 0 : -1));
                    } else {
                        fail((refresh ? "Refresh: " : "Allocate: ") + describe(r));
                        end(selector, slot, false);
                    }
                }
                default -> throw new IllegalStateException("step " + slot.step);
            }
        }

        void end(Selector selector, Slot slot, boolean completed) throws IOException {
            if (completed) {
                if (done == latencies.length) {
                    latencies = Arrays.copyOf(latencies, done * 2);
                }
                latencies[done++] = System.nanoTime() - slot.startedAt;
            }
            slot.channel.close();
            slot.channel = null;
            active--;
            begin(selector, slot);
        }
    }

    static void hold(int clients, int count, double maxSeconds, Path ready, Path release)
            throws InterruptedException, IOException {
        long deadline = System.nanoTime() + (long) (maxSeconds * 1e9);
        AtomicLong tickets = new AtomicLong(count);
        List<List<Object[]>> held = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < clients; i++) {
            List<Object[]> mine = new ArrayList<>();
            held.add(mine);
            Thread t = new Thread(() -> {
                while (System.nanoTime() < deadline && tickets.getAndDecrement() > 0) {
                    Client c = new Client();
                    DatagramSocket s = null;
                    try {
                        s = open();
                        if (c.allocate(s, deadline)) {
                            mine.add(new Object[] {s, c});
                            s = null;
                        }
                    } catch (IOException e) {
                        fail("io: " + e.getClass().getSimpleName());
                    } finally {
                        if (s != null) {
                            s.close();
                        }
                    }
                }
            }, "hold-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000 + 5_000));
        }
        int allocated = 0;
        for (List<Object[]> l : held) {
            allocated += l.size();
        }
        double createSeconds = (System.nanoTime() - start) / 1e9;
        Files.writeString(ready, "{\"allocated\":" + allocated + ",\"seconds\":" + fmt(createSeconds) + "}\n");
        while (System.nanoTime() < deadline && !Files.exists(release)) {
            Thread.sleep(50);
        }
        // Refresh(0) everything, in parallel, with a fresh deadline so cleanup happens even after a timeout.
        long cleanupDeadline = System.nanoTime() + 30_000_000_000L;
        LongAdder released = new LongAdder();
        threads.clear();
        for (List<Object[]> l : held) {
            Thread t = new Thread(() -> {
                for (Object[] h : l) {
                    DatagramSocket s = (DatagramSocket) h[0];
                    try (s) {
                        if (((Client) h[1]).refresh(s, 0, cleanupDeadline)) {
                            released.increment();
                        }
                    } catch (IOException e) {
                        fail("io: " + e.getClass().getSimpleName());
                    }
                }
            });
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join(35_000);
        }
        System.out.println("{\"mode\":\"hold\",\"allocated\":" + allocated + ",\"create_seconds\":" + fmt(createSeconds)
                + ",\"released\":" + released.sum() + ",\"retransmits\":" + retransmits.sum()
                + ",\"failures\":" + failuresJson() + "}");
    }

    // ---------------------------------------------------------------------------------------------------- client

    /** One TURN client: the nonce/realm it learned and its long-term key. */
    static final class Client {
        byte[] nonce, realm, key;
        /** Where this client's requests go: the bench's one server unless set (bench/cluster probes several). */
        InetSocketAddress target;
        final byte[] rx = new byte[1500];

        /** Allocate, 401, Allocate with credentials. */
        boolean allocate(DatagramSocket s, long deadline) throws IOException {
            byte[] r = exchange(s, request(ALLOCATE, false, -1), deadline);
            if (r == null) {
                return false;
            }
            int cls = cls(r);
            if (cls == 0x0110 && errorCode(r) == 401) {
                if (!learn(r)) {
                    fail("401 without REALM/NONCE");
                    return false;
                }
            } else {
                fail(cls == 0x0100 ? "Allocate without auth succeeded" : "first Allocate: " + describe(r));
                return false;
            }
            for (int attempt = 0; attempt < 2; attempt++) {
                r = exchange(s, request(ALLOCATE, true, -1), deadline);
                if (r == null) {
                    return false;
                }
                if (cls(r) == 0x0100) {
                    return true;
                }
                if (errorCode(r) == 438 && attr(r, A_NONCE) != null) {
                    nonce = attr(r, A_NONCE);
                    continue;
                }
                fail("Allocate: " + describe(r));
                return false;
            }
            fail("Allocate: stale nonce twice");
            return false;
        }

        boolean refresh(DatagramSocket s, int lifetime, long deadline) throws IOException {
            for (int attempt = 0; attempt < 2; attempt++) {
                byte[] r = exchange(s, request(REFRESH, true, lifetime), deadline);
                if (r == null) {
                    return false;
                }
                if (cls(r) == 0x0100) {
                    return true;
                }
                if (errorCode(r) == 438 && attr(r, A_NONCE) != null) {
                    nonce = attr(r, A_NONCE);
                    continue;
                }
                // A retransmitted Refresh(0) whose first copy already deleted the allocation earns 437: done.
                if (errorCode(r) == 437 && lifetime == 0) {
                    return true;
                }
                fail("Refresh: " + describe(r));
                return false;
            }
            fail("Refresh: stale nonce twice");
            return false;
        }

        /** Takes REALM and NONCE from a 401; the key is derived again only when the realm changes. */
        boolean learn(byte[] challenge) {
            byte[] r = attr(challenge, A_REALM);
            nonce = attr(challenge, A_NONCE);
            if (r == null || nonce == null) {
                return false;
            }
            if (!Arrays.equals(r, realm)) {
                realm = r;
                key = md5((user + ":" + new String(realm, StandardCharsets.UTF_8) + ":" + pass)
                        .getBytes(StandardCharsets.UTF_8));
            }
            return true;
        }

        byte[] request(int method, boolean auth, int lifetime) {
            ByteBuffer b = ByteBuffer.allocate(512);
            b.putShort((short) method).putShort((short) 0).putInt(MAGIC);
            byte[] tid = new byte[12];
            RANDOM.nextBytes(tid);
            b.put(tid);
            if (method == ALLOCATE) {
                putAttr(b, A_REQ_TRANSPORT, new byte[] {17, 0, 0, 0});
            }
            if (lifetime >= 0) {
                putAttr(b, A_LIFETIME, ByteBuffer.allocate(4).putInt(lifetime).array());
            }
            if (auth) {
                putAttr(b, A_USERNAME, user.getBytes(StandardCharsets.UTF_8));
                putAttr(b, A_REALM, realm);
                putAttr(b, A_NONCE, nonce);
                int len = b.position() - 20 + 24;
                b.putShort(2, (short) len);
                byte[] mac = hmacSha1(key, Arrays.copyOf(b.array(), b.position()));
                putAttr(b, A_MI, mac);
            }
            b.putShort(2, (short) (b.position() - 20));
            return Arrays.copyOf(b.array(), b.position());
        }

        /** Sends, waits for the response with the same transaction ID, retransmits; null (and counted) on timeout. */
        byte[] exchange(DatagramSocket s, byte[] req, long deadline) throws IOException {
            DatagramPacket out = new DatagramPacket(req, req.length, target != null ? target : server);
            DatagramPacket in = new DatagramPacket(rx, rx.length);
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                if (attempt > 0) {
                    retransmits.increment();
                }
                s.send(out);
                long until = System.nanoTime() + TIMEOUT_MS * 1_000_000L;
                while (true) {
                    long left = Math.min(until, deadline + 2_000_000_000L) - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    s.setSoTimeout((int) Math.max(1, left / 1_000_000));
                    try {
                        s.receive(in);
                    } catch (SocketTimeoutException e) {
                        break;
                    }
                    int n = in.getLength();
                    if (n >= 20 && Arrays.equals(rx, 8, 20, req, 8, 20)) {
                        return Arrays.copyOf(rx, n);
                    }
                }
                if (System.nanoTime() > deadline + 2_000_000_000L) {
                    break;
                }
            }
            fail("timeout");
            return null;
        }
    }

    // ---------------------------------------------------------------------------------------------------- STUN bits

    // Local ports are handed out in turn from a range outside both relay ranges the bench script configures
    // (-Dbench.ports=50000-60999), so a 5-tuple comes back only after the whole range was used: the kernel's
    // random ephemeral ports would sometimes hit a 5-tuple the server still holds (a leaked or lingering
    // allocation) and earn 437, which measures the port picker rather than the server.
    static final int[] PORTS = range(System.getProperty("bench.ports", "50000-60999"));
    static final AtomicLong nextPort = new AtomicLong();

    static int[] range(String r) {
        String[] p = r.split("-");
        return new int[] {Integer.parseInt(p[0]), Integer.parseInt(p[1])};
    }

    static InetAddress[] sources;

    static InetAddress[] sources() throws IOException {
        int n = Integer.getInteger("bench.sources", 1);
        byte[] a = server.getAddress().getAddress();
        if (n <= 1 || a.length != 4 || a[0] != 127) {
            return new InetAddress[] {server.getAddress()};
        }
        n = Math.min(n, 253);
        InetAddress[] out = new InetAddress[n];
        for (int i = 0; i < n; i++) {
            out[i] = InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) (2 + i)});
        }
        return out;
    }

    /** The rate mode's socket: the next local port and source address in turn; null when that one is taken. */
    static DatagramChannel openChannel() throws IOException {
        int span = PORTS[1] - PORTS[0] + 1;
        long k = nextPort.getAndIncrement();
        DatagramChannel ch = DatagramChannel.open();
        try {
            ch.bind(new InetSocketAddress(sources[(int) (k % sources.length)], PORTS[0] + (int) (k % span)));
            return ch;
        } catch (java.net.BindException busy) {
            ch.close(); // someone else holds it: the caller takes the next one
            return null;
        }
    }

    static DatagramSocket open() throws IOException {
        int span = PORTS[1] - PORTS[0] + 1;
        for (int tries = 0; tries < 64; tries++) {
            long k = nextPort.getAndIncrement();
            int port = PORTS[0] + (int) (k % span);
            InetAddress source = sources[(int) (k % sources.length)];
            try {
                return new DatagramSocket(new InetSocketAddress(source, port));
            } catch (java.net.BindException busy) {
                // someone else holds it: take the next one
            }
        }
        fail("no free local port");
        return new DatagramSocket(new InetSocketAddress(sources[0], 0));
    }

    static void putAttr(ByteBuffer b, int type, byte[] v) {
        b.putShort((short) type).putShort((short) v.length).put(v);
        while ((b.position() & 3) != 0) {
            b.put((byte) 0);
        }
    }

    static int cls(byte[] m) {
        return ((m[0] & 0xFF) << 8 | (m[1] & 0xFF)) & 0x0110;
    }

    static byte[] attr(byte[] m, int type) {
        int len = (m[2] & 0xFF) << 8 | (m[3] & 0xFF);
        int end = Math.min(m.length, 20 + len);
        int p = 20;
        while (p + 4 <= end) {
            int t = (m[p] & 0xFF) << 8 | (m[p + 1] & 0xFF);
            int l = (m[p + 2] & 0xFF) << 8 | (m[p + 3] & 0xFF);
            if (p + 4 + l > end) {
                return null;
            }
            if (t == type) {
                return Arrays.copyOfRange(m, p + 4, p + 4 + l);
            }
            p += 4 + ((l + 3) & ~3);
        }
        return null;
    }

    static int errorCode(byte[] m) {
        byte[] e = attr(m, A_ERROR);
        return e == null || e.length < 4 ? -1 : (e[2] & 7) * 100 + (e[3] & 0xFF);
    }

    static String describe(byte[] m) {
        int type = (m[0] & 0xFF) << 8 | (m[1] & 0xFF);
        int code = errorCode(m);
        return String.format("type 0x%04x", type) + (code >= 0 ? " error " + code : "");
    }

    static void fail(String why) {
        failures.computeIfAbsent(why, k -> new LongAdder()).increment();
    }

    static String failuresJson() {
        StringBuilder sb = new StringBuilder("{");
        for (Map.Entry<String, LongAdder> e : new TreeMap<>(failures).entrySet()) {
            if (sb.length() > 1) {
                sb.append(',');
            }
            sb.append('"').append(e.getKey().replace("\"", "'")).append("\":").append(e.getValue().sum());
        }
        return sb.append('}').toString();
    }

    static double pct(long[] sorted, int n, double p) {
        return n == 0 ? 0 : sorted[Math.min(n - 1, (int) (p * n))] / 1e6;
    }

    static String fmt(double d) {
        return String.format(java.util.Locale.ROOT, "%.3f", d);
    }

    static byte[] md5(byte[] in) {
        try {
            return MessageDigest.getInstance("MD5").digest(in);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static final ThreadLocal<Object[]> MACS = new ThreadLocal<>();

    static byte[] hmacSha1(byte[] key, byte[] data) {
        try {
            Object[] held = MACS.get(); // {Mac, its key}: init only when the key changes (doFinal keeps the key)
            if (held == null) {
                held = new Object[] {Mac.getInstance("HmacSHA1"), null};
                MACS.set(held);
            }
            Mac mac = (Mac) held[0];
            if (held[1] != key) {
                mac.init(new SecretKeySpec(key, "HmacSHA1"));
                held[1] = key;
            }
            return mac.doFinal(data);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
