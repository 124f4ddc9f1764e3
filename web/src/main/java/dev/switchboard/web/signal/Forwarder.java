package dev.switchboard.web.signal;

import java.util.Map;
import java.util.Set;

/**
 * Carries a message to sockets that another node of the cluster holds: WildFly's command dispatcher in a cluster
 * ({@code container.ClusterForwarder}), nothing on a single server ({@link #NONE}). {@link SignalingCore} decides
 * what goes where and what happens when it does not arrive; this only carries it and reports the answer. Each call
 * waits (bounded) for the other node's answer, so a sender's messages leave one after the other, in order.
 */
public interface Forwarder {

    /**
     * Asks {@code node} to write to the sockets it holds for these participants of {@code room} each one's copy of a
     * message (copies differ in their {@code seq}) ({@link SignalingCore#deliverHere}).
     *
     * @param texts participant → its copy, in the order to write them
     *
     * @return the participants it holds no socket for: nothing was written to them
     * @throws Unreachable no answer: the node left the cluster, is not serving signaling, or took longer than the
     *                     bound (then it may still write the message)
     */
    Set<String> deliver(String node, String room, Map<String, String> texts) throws Unreachable;

    /**
     * Asks {@code node} to send what is kept for the participant to its socket there
     * ({@link SignalingCore#flushHere}): a message was queued while the participant resumed on that node.
     */
    void flush(String node, String room, String participant) throws Unreachable;

    /** The node did not answer. */
    final class Unreachable extends Exception {
        private static final long serialVersionUID = 1L;

        public Unreachable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A single server: no other node holds sockets, so a member recorded elsewhere is a leftover, never there. */
    Forwarder NONE = new Forwarder() {
        @Override
        public Set<String> deliver(String node, String room, Map<String, String> texts) throws Unreachable {
            throw new Unreachable("not clustered: no node " + node, null);
        }

        @Override
        public void flush(String node, String room, String participant) throws Unreachable {
            throw new Unreachable("not clustered: no node " + node, null);
        }
    };
}
