package dev.switchboard.web.signal.container;

import dev.switchboard.web.signal.Link;
import dev.switchboard.web.signal.SignalingCore;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;

import java.nio.ByteBuffer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code ws://host/signal}: the signaling socket. Only glue: every event goes to the {@link SignalingHub}'s core,
 * which holds the protocol (docs/signaling.md). One endpoint instance per connection.
 */
@ServerEndpoint("/signal")
public class SignalEndpoint {

    private static final Logger LOG = Logger.getLogger(SignalEndpoint.class.getName());
    private static final String LINK = Link.class.getName();
    private static final String CORE = SignalingCore.class.getName();

    @Inject
    SignalingHub hub;

    @OnOpen
    public void open(Session session) {
        SignalingCore core = hub.core();
        // binary messages mean nothing here; they are read in parts, counted and dropped by the core, which
        // answers binary-not-supported or, past its cut-off, closes 1009 itself. Undertow's own limit (which it
        // enforces with a close of its own wording) stays behind ours, as a backstop
        session.setMaxBinaryMessageBufferSize(core.binaryCutOff() + core.config().maxMessageSize());
        // our idle timeout closes with its own code first; this only catches a session our ticker never saw
        session.setMaxIdleTimeout(core.config().idleTimeout().toMillis() * 2);
        // the core travels with the session: its end may be reported while the application (and its CDI
        // context) is already stopping, e.g. after SignalingHub closed every socket on undeploy
        session.getUserProperties().put(CORE, core);
        session.getUserProperties().put(LINK, core.open(new SessionTransport(session)));
    }

    /** In parts, so the size limit is ours to keep (see MessageAssembler); usually one part is the message. */
    @OnMessage
    public void text(Session session, String part, boolean last) {
        core(session).part(link(session), part, last);
    }

    @OnMessage
    public void binary(Session session, ByteBuffer data, boolean last) {
        core(session).binary(link(session), data.remaining(), last);
    }

    @OnClose
    public void close(Session session, CloseReason reason) {
        Link link = link(session);
        if (link != null) {
            core(session).closed(link);
        }
    }

    @OnError
    public void error(Session session, Throwable failure) {
        // the container closes the session after this, and @OnClose does the bookkeeping
        LOG.log(Level.FINE, "WebSocket error", failure);
    }

    private static SignalingCore core(Session session) {
        return (SignalingCore) session.getUserProperties().get(CORE);
    }

    private static Link link(Session session) {
        return (Link) session.getUserProperties().get(LINK);
    }
}
