package dev.switchboard.relay.media;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;

/**
 * One media packet's bytes, lent by a {@link PacketPool} and shared by reference count: whoever keeps the packet
 * past the call that handed it over (a subscriber's send queue, the retransmission cache, a recorder) takes a
 * reference of its own with {@link #retain} and gives it back with {@link #release}; the last release returns the
 * packet to its pool. Every reference names its owner, so that the pool can, with tracking on, say who leaked a
 * packet or who released one it did not hold. See docs/sfu.md, "Packet buffers".
 *
 * <p>Threads: {@link #retain}, {@link #release} and writes to the bytes belong to the pool's event-loop thread.
 * Another thread holding a reference (handed to it through a queue, which publishes the bytes) may read the bytes
 * and gives its reference back with {@link #releaseFromAnyThread}. Once more than one owner holds the packet its
 * bytes are read-only: each subscriber copies them into its own buffer to rewrite and encrypt.
 */
public final class Packet {

    private static final VarHandle REMOTE_PENDING;

    static {
        try {
            REMOTE_PENDING = MethodHandles.lookup().findVarHandle(Packet.class, "remotePending", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final PacketPool pool;
    /** Heap, not direct: SRTP's JDK ciphers and MACs and the header rewrites work fastest on arrays (docs/sfu.md). */
    private final byte[] data;
    private final ByteBuffer view;
    final PacketPool.Tracker tracker;
    private int length;
    /** References held; loop thread only. 0 while the packet is in its pool. */
    int refs;
    /** Releases asked for by other threads and not yet applied by the loop (see {@link PacketPool#reclaim}). */
    @SuppressWarnings("unused") // through REMOTE_PENDING
    private volatile int remotePending;
    /** Link in the pool's stack of packets with pending remote releases; written by the thread that pushes it. */
    Packet remoteNext;

    Packet(PacketPool pool, int capacity, boolean tracking) {
        this.pool = pool;
        this.data = new byte[capacity];
        this.view = ByteBuffer.wrap(data);
        this.tracker = pool.track(this, tracking);
    }

    /** The pool this packet returns to. */
    public PacketPool pool() {
        return pool;
    }

    /** The bytes, {@code [0, length())} of them the packet's; its capacity is the array's length. */
    public byte[] array() {
        checkLive();
        return data;
    }

    /** The bytes as the packet's own buffer, position 0 and limit {@link #length()}: for the only owner's in-place work. */
    public ByteBuffer buffer() {
        checkLive();
        view.limit(length).position(0);
        return view;
    }

    public int capacity() {
        return data.length;
    }

    public int length() {
        checkLive();
        return length;
    }

    /** Sets how many of the bytes are the packet's. */
    public void length(int length) {
        checkLive();
        if (length < 0 || length > data.length) {
            throw new IllegalArgumentException("length " + length + " outside [0, " + data.length + "]");
        }
        this.length = length;
    }

    /** Copies {@code source}'s remaining bytes in (consuming them) as the packet's content; false if they do not fit. */
    public boolean fill(ByteBuffer source) {
        checkLive();
        int n = source.remaining();
        if (n > data.length) {
            return false;
        }
        source.get(data, 0, n);
        length = n;
        return true;
    }

    /** References held now (0: back in the pool). Exact on the loop thread only. */
    public int refCount() {
        return refs;
    }

    /**
     * Adds a reference for {@code owner}, who must give it back with {@link #release}. Loop thread only. Retaining a
     * packet that is back in its pool is refused (counted as misuse) rather than reviving it.
     *
     * @return this packet
     */
    public Packet retain(Object owner) {
        pool.checkThread("retain");
        if (refs <= 0) {
            pool.misuse("retain of a packet that is back in its pool", this, owner);
            return this;
        }
        refs++;
        if (tracker.owners != null) {
            tracker.owners.add(owner);
        }
        return this;
    }

    /**
     * Gives back {@code owner}'s reference; the last one returns the packet to its pool, after which the caller
     * must not touch it. Loop thread only. A release with no reference left, or (with tracking) by an object that
     * holds none, is misuse: refused and counted, thrown with tracking on.
     */
    public void release(Object owner) {
        pool.checkThread("release");
        if (refs <= 0) {
            pool.misuse("release of a packet that is back in its pool", this, owner);
            return;
        }
        if (tracker.owners != null && !tracker.removeOwner(owner)) {
            pool.misuse("release by an object that holds no reference", this, owner);
            return;
        }
        if (--refs == 0) {
            pool.giveBack(this);
        }
    }

    /**
     * {@link #release} from any thread: queued without locks (and, tracking off, without allocation) and applied by
     * the loop at its next {@link PacketPool#reclaim}. The caller must not touch the packet afterwards.
     */
    public void releaseFromAnyThread(Object owner) {
        if (tracker.remoteOwners != null) {
            tracker.remoteOwners.add(owner); // before the count, so the loop finds an owner for every release it sees
        }
        if ((int) REMOTE_PENDING.getAndAdd(this, 1) == 0) {
            pool.pushRemote(this);
        }
    }

    /** Takes the remote releases pending (the loop, once the packet is off the remote stack). */
    int takeRemotePending() {
        return (int) REMOTE_PENDING.getAndSet(this, 0);
    }

    /** The pool lends this packet to {@code owner}. */
    void lend(Object owner) {
        refs = 1;
        length = 0;
        tracker.lent = true;
        if (tracker.owners != null) {
            tracker.owners.add(owner);
        }
    }

    private void checkLive() {
        if (refs <= 0) {
            pool.misuse("use of a packet that is back in its pool", this, null);
        }
    }

    @Override
    public String toString() {
        return "Packet[" + length + "/" + data.length + " bytes, refs=" + refs
                + (tracker.owners != null ? ", owners=" + tracker.owners : "") + "]";
    }
}
