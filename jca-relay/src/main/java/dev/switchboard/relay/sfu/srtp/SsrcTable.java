package dev.switchboard.relay.sfu.srtp;

/**
 * A context's streams by SSRC: open addressing over int keys, so a lookup boxes nothing (every int is a possible
 * SSRC, so an empty slot is a null value, not a reserved key). Grows by doubling from 8 slots; the context bounds
 * how many SSRCs it admits. Removal by backward-shift deletion, so no tombstones accumulate.
 */
final class SsrcTable {

    private int[] keys = new int[8];
    private SrtpStream[] values = new SrtpStream[8];
    private int size;

    int size() {
        return size;
    }

    SrtpStream get(int ssrc) {
        int mask = keys.length - 1;
        for (int i = mix(ssrc) & mask; ; i = (i + 1) & mask) {
            SrtpStream v = values[i];
            if (v == null) {
                return null;
            }
            if (keys[i] == ssrc) {
                return v;
            }
        }
    }

    /** Adds a stream for an SSRC not in the table. */
    void add(SrtpStream stream) {
        if ((size + 1) * 4 > keys.length * 3) {
            grow();
        }
        insert(stream);
        size++;
    }

    void remove(int ssrc) {
        int mask = keys.length - 1;
        int i = mix(ssrc) & mask;
        while (true) {
            if (values[i] == null) {
                return;
            }
            if (keys[i] == ssrc) {
                break;
            }
            i = (i + 1) & mask;
        }
        size--;
        // shift back later entries of the run that would no longer be reachable across the hole at i
        int hole = i;
        for (int j = (hole + 1) & mask; values[j] != null; j = (j + 1) & mask) {
            int home = mix(keys[j]) & mask;
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                keys[hole] = keys[j];
                values[hole] = values[j];
                hole = j;
            }
        }
        values[hole] = null;
    }

    private void insert(SrtpStream stream) {
        int mask = keys.length - 1;
        int i = mix(stream.ssrc) & mask;
        while (values[i] != null) {
            i = (i + 1) & mask;
        }
        keys[i] = stream.ssrc;
        values[i] = stream;
    }

    private void grow() {
        SrtpStream[] old = values;
        keys = new int[old.length * 2];
        values = new SrtpStream[old.length * 2];
        for (SrtpStream s : old) {
            if (s != null) {
                insert(s);
            }
        }
    }

    private static int mix(int ssrc) {
        int h = ssrc * 0x9E3779B9; // SSRCs are random, but a peer chooses them: spread any pattern
        return h ^ h >>> 16;
    }
}
