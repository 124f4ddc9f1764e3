package dev.switchboard.relay.server;

import dev.switchboard.connector.inbound.AllocationEvent;
import dev.switchboard.relay.turn.AllocationRecord;
import dev.switchboard.relay.turn.TurnObserver;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns allocation start/end notices into {@link AllocationEvent}s for the application's accounting. Runs on the
 * event loop, but only at allocation start and end (never per packet), and only enqueues.
 */
final class AccountingObserver implements TurnObserver {

    private final String node;
    private final RelayEventSink sink;

    AccountingObserver(String node, RelayEventSink sink) {
        this.node = node;
        this.sink = sink;
    }

    @Override
    public void allocationStarted(AllocationRecord a) {
        sink.publish(event(AllocationEvent.Kind.STARTED, a));
    }

    @Override
    public void allocationEnded(AllocationRecord a) {
        sink.publish(event(AllocationEvent.Kind.ENDED, a));
    }

    private AllocationEvent event(AllocationEvent.Kind kind, AllocationRecord a) {
        List<String> peers = new ArrayList<>(a.peers().size() + 1);
        for (InetAddress p : a.peers()) {
            peers.add(p.getHostAddress());
        }
        if (a.peersTruncated()) {
            peers.add("...");
        }
        List<String> relayed = new ArrayList<>(a.relayed().size());
        for (InetSocketAddress r : a.relayed()) {
            relayed.add(text(r));
        }
        return new AllocationEvent(kind == AllocationEvent.Kind.ENDED && a.ended() != null ? a.ended() : Instant.now(),
                node, kind, a.id(), a.username(), a.transport().name().toLowerCase(Locale.ROOT), text(a.client()),
                String.join(",", relayed), a.started(), a.ended(), a.packetsToPeers(), a.bytesToPeers(),
                a.packetsFromPeers(), a.bytesFromPeers(), peers,
                a.endReason() == null ? "" : a.endReason().name().toLowerCase(Locale.ROOT));
    }

    static String text(InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}
