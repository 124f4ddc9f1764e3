package dev.switchboard.relay.turn;

import dev.switchboard.relay.transport.EventLoop;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The open-addressed channel table behaves like a map under random puts and removes (growth and backward shift). */
class ChannelTableTest {

    @Test
    void agreesWithAHashMap() throws Exception {
        Random random = new Random(42);
        EventLoop loop = EventLoop.open("unused"); // channels need one for their timers, which stay unscheduled
        ChannelTable table = new ChannelTable();
        Map<Integer, Channel> reference = new HashMap<>();
        Channel[] values = new Channel[64];
        for (int i = 0; i < values.length; i++) {
            values[i] = new Channel(0x4000 + i, null, null, loop, c -> { });
        }
        for (int step = 0; step < 50_000; step++) {
            int number = 0x4000 + random.nextInt(300);
            if (random.nextInt(3) == 0) {
                table.remove(number);
                reference.remove(number);
            } else {
                Channel c = values[random.nextInt(values.length)];
                table.put(number, c);
                reference.put(number, c);
            }
            int probe = 0x4000 + random.nextInt(300);
            assertSame(reference.get(probe), table.get(probe), "at step " + step);
            assertEquals(reference.size(), table.size());
        }
        for (int number = 0x4000; number < 0x4000 + 300; number++) {
            assertSame(reference.get(number), table.get(number));
        }
        assertEquals(reference.size(), table.toArray().length);
        loop.close();
    }
}
