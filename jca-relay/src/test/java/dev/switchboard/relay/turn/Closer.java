package dev.switchboard.relay.turn;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.ArrayList;
import java.util.List;

/**
 * Closes what a test opened (servers, clients, peer sockets), newest first, after each test, even a failed one.
 * Use as {@code @RegisterExtension final Closer closer = new Closer();} and wrap what is opened in {@link #track}.
 */
final class Closer implements AfterEachCallback {

    private final List<AutoCloseable> closeables = new ArrayList<>();

    <T extends AutoCloseable> T track(T t) {
        closeables.add(t);
        return t;
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        Exception first = null;
        for (int i = closeables.size() - 1; i >= 0; i--) {
            try {
                closeables.get(i).close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        closeables.clear();
        if (first != null) {
            throw first;
        }
    }
}
