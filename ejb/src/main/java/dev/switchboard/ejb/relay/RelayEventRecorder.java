package dev.switchboard.ejb.relay;

import dev.switchboard.connector.ListenerStatus;
import dev.switchboard.connector.inbound.AllocationEvent;
import dev.switchboard.connector.inbound.ListenerEvent;
import dev.switchboard.connector.inbound.RelayEvent;
import dev.switchboard.connector.inbound.RelayEventListener;
import dev.switchboard.connector.inbound.SfuEvent;
import dev.switchboard.ejb.usage.UsageService;
import jakarta.ejb.EJB;
import jakarta.ejb.MessageDriven;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.jboss.ejb3.annotation.ResourceAdapter;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * Persists what the relay reports (SFU events go to signaling instead, through {@link SfuEventSink}), fed by the relay adapter's inbound contract (not JMS). Each batch is one
 * container-managed transaction (Hibernate batches the inserts).
 */
@MessageDriven(messageListenerInterface = RelayEventListener.class)
@ResourceAdapter(RelayEventRecorder.RESOURCE_ADAPTER)
public class RelayEventRecorder implements RelayEventListener {

    /** {@code <ear file>#<rar file>}: how WildFly names a resource adapter deployed inside an EAR. */
    public static final String RESOURCE_ADAPTER = "switchboard.ear#relay.rar";

    private static final Logger LOG = Logger.getLogger(RelayEventRecorder.class.getName());

    @PersistenceContext(unitName = "switchboard")
    private EntityManager em;

    @EJB
    private UsageService usage;

    @EJB
    private SfuEventSink sfu;

    @Override
    public void onRelayEvents(List<RelayEvent> events) {
        List<AllocationEvent> allocations = new ArrayList<>(events.size());
        for (RelayEvent event : events) {
            if (event instanceof AllocationEvent a) {
                allocations.add(a);
            } else if (event instanceof SfuEvent s) {
                sfu.deliver(s); // for the call's signaling, not the event log: speaker changes come several a second
            } else {
                record(event);
            }
        }
        if (!allocations.isEmpty()) {
            usage.recordAll(allocations); // one call per delivery: the batch is coalesced and looked up at once
        }
    }

    private void record(RelayEvent event) {
        if (event instanceof ListenerEvent e) {
            ListenerStatus s = e.status();
            em.persist(new RelayEventRecord("listener", e.node(), e.at(), s.name(), s.state().name(),
                    s.transport() + " " + s.host() + ":" + s.port() + (s.detail().isEmpty() ? "" : " " + s.detail())));
        } else {
            // Unknown to this version of the application: keep it rather than lose it.
            LOG.fine(() -> "Recording unrecognised relay event " + event);
            em.persist(new RelayEventRecord(event.getClass().getSimpleName(), event.node(), event.at(), null, null,
                    event.toString()));
        }
    }
}
