package dev.switchboard.relay.transport;

import java.io.IOException;
import java.nio.channels.SelectionKey;

/** What an {@link EventLoop} attaches to a selection key and owns: a listener socket or a connection. */
interface LoopChannel {

    /** The key is ready; called on the loop thread. */
    void onReady(SelectionKey key) throws IOException;

    /**
     * {@link #onReady} threw; the loop has counted and logged it. A stream closes itself (its framing state is
     * lost); a listener keeps serving.
     */
    void onFailure(Throwable failure);

    /** Closes at once; idempotent. On the loop thread, or on the closing thread of a loop that never ran. */
    void closeNow();
}
