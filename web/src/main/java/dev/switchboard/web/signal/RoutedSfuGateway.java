package dev.switchboard.web.signal;

import dev.switchboard.connector.sfu.SfuAnswer;
import dev.switchboard.connector.sfu.SfuLimits;
import dev.switchboard.connector.sfu.SfuServerOffer;
import jakarta.resource.ResourceException;

import java.util.Optional;

/**
 * The SFU in a cluster: each call goes to the relay of the room's media node ({@link MediaNodes}), this node's own
 * when it is the one, else through {@link Remote} to the node that serves the room, whose answer (its SDP, with its
 * candidates) comes back here for the client. A single server never uses this: its core gets the relay directly.
 */
public final class RoutedSfuGateway implements SfuGateway {

    /** Carries a call to another node and brings back its reply. */
    public interface Remote {
        /** @throws Forwarder.Unreachable the node did not answer (left the view, not serving, too slow) */
        SfuCall.Reply call(String node, SfuCall call) throws Forwarder.Unreachable;
    }

    private final SfuGateway here;
    private final MediaNodes nodes;
    private final Remote remote;

    public RoutedSfuGateway(SfuGateway here, MediaNodes nodes, Remote remote) {
        this.here = here;
        this.nodes = nodes;
        this.remote = remote;
    }

    private SfuCall.Reply call(SfuCall c) throws ResourceException {
        String node = nodes.nodeOf(c.room());
        if (node.equals(nodes.self())) {
            return c.run(here).check();
        }
        try {
            return remote.call(node, c).check();
        } catch (Forwarder.Unreachable e) {
            throw new ResourceException("media node " + node + " of room " + c.room() + " did not answer", e);
        }
    }

    @Override
    public SfuAnswer publish(String room, String participant, String sdp, SfuLimits limits) throws ResourceException {
        return call(SfuCall.publish(room, participant, sdp, limits)).answer();
    }

    @Override
    public SfuAnswer republish(String room, String session, String sdp) throws ResourceException {
        return call(SfuCall.republish(room, session, sdp)).answer();
    }

    @Override
    public SfuServerOffer subscribe(String room, String participant, SfuLimits limits) throws ResourceException {
        return call(SfuCall.subscribe(room, participant, limits)).offer();
    }

    @Override
    public void answer(String room, String session, String sdp) throws ResourceException {
        call(SfuCall.answer(room, session, sdp));
    }

    @Override
    public Optional<String> refresh(String room, String session) throws ResourceException {
        return call(SfuCall.refresh(room, session)).sdp();
    }

    @Override
    public void videoSize(String room, String session, String track, int height) throws ResourceException {
        call(SfuCall.videoSize(room, session, track, height));
    }

    @Override
    public void close(String room, String session) throws ResourceException {
        call(SfuCall.close(room, session));
    }

    @Override
    public String mediaNode(String room) {
        return nodes.nodeOf(room);
    }

    @Override
    public void released(String room) {
        nodes.release(room);
    }
}
