package dev.switchboard.connector.inbound;

/**
 * The message listener interface of the relay's inbound contract. An MDB implements it to receive relay events:
 * {@code @MessageDriven(messageListenerInterface = RelayEventListener.class)} bound to the relay adapter.
 *
 * <p>Events are delivered on WorkManager threads, never on the packet path; a slow listener delays only other
 * events (the relay drops and counts events when its queue is full rather than stall).
 */
public interface RelayEventListener {

    void onRelayEvent(RelayEvent event);
}
