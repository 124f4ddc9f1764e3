package dev.switchboard.web.signal.state;

/**
 * The shared state refused the operation because this node is cut off from too much of the cluster (a cache that
 * denies reads and writes in a minority partition): nothing is wrong with the request, it needs another node.
 */
public class StateUnavailableException extends RuntimeException {
    public StateUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
