package dev.switchboard.relay.sfu.bwe;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SendHistoryTest {

    @Test
    void findsPacketsAcrossTheSequenceWrap() {
        SendHistory history = new SendHistory();
        for (int i = 0; i < 100; i++) {
            history.add((65_500 + i) & 0xFFFF, i * 1000L, 100 + i);
        }
        int slot = history.find(65_535);
        assertEquals(35_000, history.sendUs(slot));
        slot = history.find(10);
        assertEquals(46_000, history.sendUs(slot));
        assertEquals(146, history.size(slot));
    }

    @Test
    void forgetsWhatTheRingOverwroteAndNeverHeld() {
        SendHistory history = new SendHistory();
        assertEquals(-1, history.find(0), "nothing sent yet");
        for (int i = 0; i < SendHistory.SIZE + 10; i++) {
            history.add(i & 0xFFFF, i, 1);
        }
        assertEquals(-1, history.find(5), "overwritten by " + (SendHistory.SIZE + 5));
        assertEquals(SendHistory.SIZE + 5, history.sendUs(history.find(SendHistory.SIZE + 5)));
        assertEquals(-1, history.find(SendHistory.SIZE + 11), "not sent yet");
    }

    @Test
    void remembersWhatFeedbackSaid() {
        SendHistory history = new SendHistory();
        history.add(7, 0, 1);
        int slot = history.find(7);
        assertEquals(SendHistory.UNREPORTED, history.state(slot));
        history.setState(slot, SendHistory.LOST);
        history.add(8, 0, 1);
        assertEquals(SendHistory.LOST, history.state(history.find(7)));
        history.add(7 + SendHistory.SIZE, 0, 1);
        assertEquals(SendHistory.UNREPORTED, history.state(history.find(7 + SendHistory.SIZE)), "a new packet in the slot");
    }
}
