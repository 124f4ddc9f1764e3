package dev.switchboard.relay.turn;

import java.util.Arrays;

/**
 * An allocation's channel bindings by number: open addressing over int keys, so a ChannelData lookup boxes nothing
 * and reads two arrays. Small (8 slots) to start, since an allocation usually has a handful of channels, and grown
 * by doubling; removal uses backward-shift deletion, so there are no tombstones to accumulate.
 */
final class ChannelTable {

    private static final int EMPTY = 0; // channel numbers are 0x4000..0x4FFF, so 0 is free to mean "no key"

    private int[] keys = new int[8];
    private Channel[] values = new Channel[8];
    private int size;

    int size() {
        return size;
    }

    Channel get(int number) {
        int mask = keys.length - 1;
        for (int i = mix(number) & mask; ; i = (i + 1) & mask) {
            int k = keys[i];
            if (k == number) {
                return values[i];
            }
            if (k == EMPTY) {
                return null;
            }
        }
    }

    void put(int number, Channel channel) {
        if ((size + 1) * 4 > keys.length * 3) {
            grow();
        }
        int mask = keys.length - 1;
        int i = mix(number) & mask;
        while (keys[i] != EMPTY && keys[i] != number) {
            i = (i + 1) & mask;
        }
        if (keys[i] == EMPTY) {
            size++;
        }
        keys[i] = number;
        values[i] = channel;
    }

    void remove(int number) {
        int mask = keys.length - 1;
        int i = mix(number) & mask;
        while (keys[i] != number) {
            if (keys[i] == EMPTY) {
                return;
            }
            i = (i + 1) & mask;
        }
        size--;
        // Backward shift: move later entries of the probe run into the hole so lookups never stop early.
        int hole = i;
        for (int j = (hole + 1) & mask; keys[j] != EMPTY; j = (j + 1) & mask) {
            int home = mix(keys[j]) & mask;
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                keys[hole] = keys[j];
                values[hole] = values[j];
                hole = j;
            }
        }
        keys[hole] = EMPTY;
        values[hole] = null;
    }

    /** The channels, in no order; allocates (for teardown). */
    Channel[] toArray() {
        Channel[] out = new Channel[size];
        int n = 0;
        for (Channel c : values) {
            if (c != null) {
                out[n++] = c;
            }
        }
        return out;
    }

    private void grow() {
        int[] oldKeys = keys;
        Channel[] oldValues = values;
        keys = new int[oldKeys.length * 2];
        values = new Channel[oldKeys.length * 2];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != EMPTY) {
                put(oldKeys[i], oldValues[i]);
            }
        }
    }

    private static int mix(int number) {
        return number * 0x9E3779B1 >>> 16;
    }

    @Override
    public String toString() {
        return "ChannelTable" + Arrays.toString(toArray());
    }
}
