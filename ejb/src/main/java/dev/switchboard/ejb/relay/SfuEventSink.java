package dev.switchboard.ejb.relay;

import dev.switchboard.connector.inbound.SfuEvent;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;

import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Hands the relay's SFU events from the event MDB to the web module's signaling, which registers itself here when
 * it starts. (A CDI event fired in this module would not reach observers in the war, whose beans this module
 * cannot see.) Events that come while nobody listens are dropped: without signaling there is no one to tell.
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class SfuEventSink {

    private static final Logger LOG = Logger.getLogger(SfuEventSink.class.getName());

    private volatile Consumer<SfuEvent> listener;

    public void register(Consumer<SfuEvent> l) {
        listener = l;
    }

    /** Unregisters {@code l} if it is the listener still (a redeploy may have registered its successor). */
    public void unregister(Consumer<SfuEvent> l) {
        if (listener == l) {
            listener = null;
        }
    }

    /** Never throws: a listener's failure must not roll back the batch's other events. */
    public void deliver(SfuEvent event) {
        Consumer<SfuEvent> l = listener;
        if (l == null) {
            return;
        }
        try {
            l.accept(event);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "SFU event not handled: " + event.kind(), e);
        }
    }
}
