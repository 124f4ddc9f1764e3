package dev.switchboard.web.signal.container;

import dev.switchboard.connector.inbound.SfuEvent;
import dev.switchboard.web.signal.Forwarder;
import dev.switchboard.web.signal.RoutedSfuGateway;
import dev.switchboard.web.signal.SfuCall;
import dev.switchboard.web.signal.SfuGateway;
import dev.switchboard.web.signal.SignalingCore;
import org.wildfly.clustering.server.GroupMember;
import org.wildfly.clustering.server.dispatcher.Command;
import org.wildfly.clustering.server.dispatcher.CommandDispatcher;
import org.wildfly.clustering.server.dispatcher.CommandDispatcherFactory;

import java.io.IOException;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The SFU across nodes over WildFly's clustering dispatcher (as {@link ClusterForwarder} carries signaling, on a
 * dispatcher of its own, {@value #ID}): an {@link SfuCall} runs on the room's media node against its own relay and
 * its reply comes back; the events a node's relay raises are passed to every other node, whose sockets may hold the
 * room's participants. Also tells which nodes are in the view, for {@code MediaNodes}.
 */
final class ClusterSfu implements RoutedSfuGateway.Remote, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ClusterSfu.class.getName());
    private static final String ID = "switchboard-sfu";

    /**
     * What a node's SFU commands run against: its own relay, its signaling core, and an executor for the events
     * passed on (handling one may call the media node back, which a dispatcher thread must not wait for).
     */
    static final class Here {
        final SfuGateway relay;
        final AtomicReference<SignalingCore> core;
        final Executor events;

        Here(SfuGateway relay, AtomicReference<SignalingCore> core, Executor events) {
            this.relay = relay;
            this.core = core;
            this.events = events;
        }
    }

    private final CommandDispatcherFactory<GroupMember> factory;
    private final Duration timeout;
    private final CommandDispatcher<GroupMember, Here> dispatcher;

    /**
     * @param timeout how long a call waits for the media node; longer than signaling's forward timeout, since the
     *                relay's admission of a session may take seconds on a busy node
     */
    ClusterSfu(CommandDispatcherFactory<GroupMember> factory, Duration timeout, Here here) {
        this.factory = factory;
        this.timeout = timeout;
        this.dispatcher = factory.createCommandDispatcher(ID, here, ClusterSfu.class.getClassLoader());
    }

    /** The names of the nodes in the view now, this one included. */
    Set<String> live() {
        Set<String> names = new HashSet<>();
        for (GroupMember m : factory.getGroup().getMembership().getMembers()) {
            names.add(m.getName());
        }
        return names;
    }

    @Override
    public SfuCall.Reply call(String node, SfuCall call) throws Forwarder.Unreachable {
        GroupMember member = factory.getGroup().getMembership().getMembers().stream()
                .filter(m -> m.getName().equals(node)).findFirst()
                .orElseThrow(() -> new Forwarder.Unreachable("no node " + node + " in the cluster", null));
        try {
            return dispatcher.dispatchToMember(new Run(call), member).toCompletableFuture()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Forwarder.Unreachable("interrupted waiting for " + node, e);
        } catch (ExecutionException e) {
            throw new Forwarder.Unreachable(node + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new Forwarder.Unreachable(node + " did not answer within " + timeout.toMillis() + " ms", e);
        } catch (CancellationException | IOException e) {
            throw new Forwarder.Unreachable(node + ": " + e, e);
        }
    }

    /** Passes an event of this node's relay to the others; does not wait (a node that misses one misses a refresh). */
    void toOthers(SfuEvent e) {
        try {
            dispatcher.dispatchToGroup(new Event(e), Set.of(factory.getGroup().getLocalMember()));
        } catch (IOException | RuntimeException ex) {
            LOG.log(Level.FINE, "SFU event not passed on", ex);
        }
    }

    @Override
    public void close() {
        dispatcher.close();
    }

    /** Runs an {@link SfuCall} on this node's relay. */
    static final class Run implements Command<SfuCall.Reply, Here, RuntimeException>, Serializable {
        private static final long serialVersionUID = 1L;
        private final SfuCall call;

        Run(SfuCall call) {
            this.call = call;
        }

        @Override
        public SfuCall.Reply execute(Here here) {
            return call.run(here.relay);
        }
    }

    /** Another node's relay event, handed to this node's core ({@link SignalingCore#sfuEvent(SfuEvent, boolean)}). */
    static final class Event implements Command<Boolean, Here, RuntimeException>, Serializable {
        private static final long serialVersionUID = 1L;
        private final long at;
        private final String node;
        private final String kind;
        private final String room;
        private final String session;
        private final String participant;
        private final String detail;

        Event(SfuEvent e) {
            this.at = e.at().toEpochMilli();
            this.node = e.node();
            this.kind = e.kind().name();
            this.room = e.roomId();
            this.session = e.sessionId();
            this.participant = e.participant();
            this.detail = e.detail();
        }

        @Override
        public Boolean execute(Here here) {
            SignalingCore core = here.core.get();
            if (core != null) {
                SfuEvent e = new SfuEvent(Instant.ofEpochMilli(at), node, SfuEvent.Kind.valueOf(kind), room, session,
                        participant, detail);
                here.events.execute(() -> core.sfuEvent(e, false));
            }
            return Boolean.TRUE;
        }
    }
}
