package dev.switchboard.web.signal.container;

import dev.switchboard.web.signal.Forwarder;
import dev.switchboard.web.signal.SignalingCore;
import org.wildfly.clustering.server.GroupMember;
import org.wildfly.clustering.server.Registration;
import org.wildfly.clustering.server.dispatcher.Command;
import org.wildfly.clustering.server.dispatcher.CommandDispatcher;
import org.wildfly.clustering.server.dispatcher.CommandDispatcherFactory;

import java.io.IOException;
import java.io.Serializable;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Cross-node delivery over WildFly's clustering dispatcher: one command per message to the node holding the sockets,
 * run there by that node's {@link SignalingCore}; and the group's views, to learn which nodes left. Nodes are found by name ({@code jboss.node.name}, which is both
 * the JGroups member name and the node recorded with each signaling member). The commands carry strings only and are
 * {@link Serializable}: the dispatcher marshals a deployment's commands with JBoss Marshalling when the deployment
 * brings no ProtoStream schema.
 */
final class ClusterForwarder implements Forwarder, AutoCloseable {

    /** The server's default group (the channel cluster.cli gives the switchboard cache container too). */
    static final String FACTORY = "java:jboss/clustering/server/command-dispatcher-factory/default";
    private static final String ID = "switchboard-signaling";

    private final CommandDispatcherFactory<GroupMember> factory;
    private final Duration timeout;
    private final CommandDispatcher<GroupMember, AtomicReference<SignalingCore>> dispatcher;

    ClusterForwarder(CommandDispatcherFactory<GroupMember> factory, Duration timeout, AtomicReference<SignalingCore> core) {
        this.factory = factory;
        this.timeout = timeout;
        this.dispatcher = factory.createCommandDispatcher(ID, core, ClusterForwarder.class.getClassLoader());
    }

    @Override
    public Set<String> deliver(String node, String room, Map<String, String> texts) throws Unreachable {
        return call(node, new Deliver(room, new LinkedHashMap<>(texts)));
    }

    /**
     * Calls {@code survivors} with the node names of every new view that some node left (on the group's thread:
     * the callee hands the work on).
     */
    Registration watchLeavers(Consumer<Set<String>> survivors) {
        return factory.getGroup().register(event -> {
            if (!event.getLeavers().isEmpty()) {
                Set<String> names = new HashSet<>();
                event.getCurrentMembership().getMembers().forEach(m -> names.add(m.getName()));
                survivors.accept(names);
            }
        });
    }

    @Override
    public void flush(String node, String room, String participant) throws Unreachable {
        call(node, new Flush(room, participant));
    }

    /** The node's answer, waited for at most the timeout. */
    private <R> R call(String node, Command<R, AtomicReference<SignalingCore>, RuntimeException> command) throws Unreachable {
        GroupMember member = factory.getGroup().getMembership().getMembers().stream()
                .filter(m -> m.getName().equals(node)).findFirst()
                .orElseThrow(() -> new Unreachable("no node " + node + " in the cluster", null));
        try {
            CompletionStage<R> answer = dispatcher.dispatchToMember(command, member);
            return answer.toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unreachable("interrupted waiting for " + node, e);
        } catch (ExecutionException e) { // includes a node that left, or that has no signaling (CancellationException)
            throw new Unreachable(node + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new Unreachable(node + " did not answer within " + timeout.toMillis() + " ms", e);
        } catch (CancellationException | IOException e) {
            throw new Unreachable(node + ": " + e, e);
        }
    }

    @Override
    public void close() {
        dispatcher.close();
    }

    /**
     * Runs {@link SignalingCore#deliverHere} on the node holding the sockets; answers those it did not hold. Plain
     * classes rather than records: JBoss Marshalling's support for records varies by version.
     */
    static final class Deliver implements Command<Set<String>, AtomicReference<SignalingCore>, RuntimeException>,
            Serializable {
        private static final long serialVersionUID = 2L;
        private final String room;
        private final LinkedHashMap<String, String> texts;

        Deliver(String room, LinkedHashMap<String, String> texts) {
            this.room = room;
            this.texts = texts;
        }

        @Override
        public Set<String> execute(AtomicReference<SignalingCore> core) {
            return new HashSet<>(started(core).deliverHere(room, texts));
        }
    }

    /** Runs {@link SignalingCore#flushHere} on the node holding the socket. */
    static final class Flush implements Command<Boolean, AtomicReference<SignalingCore>, RuntimeException>, Serializable {
        private static final long serialVersionUID = 1L;
        private final String room;
        private final String participant;

        Flush(String room, String participant) {
            this.room = room;
            this.participant = participant;
        }

        @Override
        public Boolean execute(AtomicReference<SignalingCore> core) {
            started(core).flushHere(room, participant);
            return Boolean.TRUE;
        }
    }

    /** Before the core is up this node holds no sockets; the sender queues. */
    private static SignalingCore started(AtomicReference<SignalingCore> core) {
        SignalingCore c = core.get();
        if (c == null) {
            throw new IllegalStateException("signaling is starting on this node");
        }
        return c;
    }
}
