package dev.switchboard.connector.inbound;

import java.util.List;

/**
 * The message listener interface of the relay's inbound contract. An MDB implements it to receive relay events:
 * {@code @MessageDriven(messageListenerInterface = RelayEventListener.class)} bound to the relay adapter.
 *
 * <p>Events arrive in batches (in the order the relay saw them) so that a consumer persists a burst in one
 * transaction instead of one per event. They are delivered on WorkManager threads, never on the packet path; a
 * slow listener delays only other events (the relay drops and counts events when its queue is full rather than
 * stall).
 */
public interface RelayEventListener {

    /** @param events one or more events, oldest first; never empty */
    void onRelayEvents(List<RelayEvent> events);
}
