package dev.switchboard.relay.ra;

import dev.switchboard.connector.EventLoopStatus;
import dev.switchboard.connector.TcpRelayCounters;
import dev.switchboard.connector.ListenerStatus;
import dev.switchboard.connector.SfuCounters;
import dev.switchboard.connector.TurnAlternate;
import dev.switchboard.connector.TurnCounters;
import dev.switchboard.connector.TurnRestCredential;
import dev.switchboard.connector.sfu.SfuAnswer;
import dev.switchboard.connector.sfu.SfuOffer;
import dev.switchboard.connector.sfu.SfuIceRestart;
import dev.switchboard.connector.sfu.SfuLimits;
import dev.switchboard.connector.sfu.SfuRoomStatus;
import dev.switchboard.connector.sfu.SfuServerOffer;
import dev.switchboard.relay.sfu.SfuService;
import dev.switchboard.relay.transport.Protocol;
import dev.switchboard.relay.turn.AlternateServers;
import dev.switchboard.relay.turn.auth.RestCredentialMinter;
import dev.switchboard.connector.outbound.RelayConnection;
import jakarta.resource.ResourceException;
import dev.switchboard.relay.turn.TurnStats;
import jakarta.resource.spi.IllegalStateException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;

/** The handle application code holds. Invalid after close() or when the container cleans it up. */
public class RelayConnectionImpl implements RelayConnection {

    private volatile RelayManagedConnection managed;

    RelayConnectionImpl(RelayManagedConnection managed) {
        this.managed = managed;
    }

    @Override
    public List<ListenerStatus> listeners() throws ResourceException {
        return managed().adapter().server().listeners();
    }

    @Override
    public EventLoopStatus eventLoop() throws ResourceException {
        return managed().adapter().server().eventLoop();
    }

    @Override
    public String software() throws ResourceException {
        return managed().adapter().server().config().software();
    }

    @Override
    public Optional<TurnCounters> turnCounters() throws ResourceException {
        TurnStats t = managed().adapter().server().turnStats();
        if (t == null) {
            return Optional.empty();
        }
        return Optional.of(new TurnCounters(t.allocations(), t.permissions(), t.channels(), t.allocationsCreated(),
                t.allocationsExpired(), t.packetsToPeers(), t.bytesToPeers(), t.packetsFromPeers(), t.bytesFromPeers(),
                t.authFailures(), t.staleNonces(), t.errorResponses(), t.peerDroppedNoPermission(), t.clientDropped(),
                t.quotaRejections(), t.bandwidthDropped()));
    }

    @Override
    public Optional<TcpRelayCounters> tcpRelayCounters() throws ResourceException {
        TurnStats t = managed().adapter().server().turnStats();
        if (t == null) {
            return Optional.empty();
        }
        return Optional.of(new TcpRelayCounters(t.tcpConnections(), t.tcpConnectAttempts(),
                t.tcpConnectsEstablished(), t.tcpConnectFailures(), t.tcpPeerConnectionsAccepted(),
                t.tcpConnectionsBound(), t.tcpBytesToPeers(), t.tcpBytesFromPeers()));
    }

    @Override
    public Optional<SfuCounters> sfuCounters() throws ResourceException {
        SfuService service = managed().adapter().server().sfu();
        if (service == null) {
            return Optional.empty();
        }
        dev.switchboard.relay.sfu.SfuCounters s = service.stats();
        return Optional.of(new SfuCounters(service.roomCount(), service.sessionCount(), s.sessionsOpened(),
                s.sessionsEnded(), s.packetsIn(), s.bytesIn(), s.packetsForwarded(), s.bytesForwarded(), s.dropped(),
                s.nacksReceived(), s.nacksSent(), s.retransmissions(), s.keyframeRequests(), s.forwardingDelays(),
                s.forwardingDelaySumNanos()));
    }

    @Override
    public String turnRealm() throws ResourceException {
        return managed().adapter().server().config().turn().realm();
    }

    @Override
    public void replaceTurnKeys(Map<String, byte[]> keys) throws ResourceException {
        managed().adapter().server().applicationKeys().replaceAll(keys);
    }

    @Override
    public void putTurnKey(String username, byte[] key) throws ResourceException {
        managed().adapter().server().applicationKeys().put(username, key);
    }

    @Override
    public void removeTurnKey(String username) throws ResourceException {
        managed().adapter().server().revokeApplicationKey(username);
    }

    @Override
    public void denyTurnRestUsers(Set<String> userIds) throws ResourceException {
        managed().adapter().server().denyRestUsers(userIds);
    }

    @Override
    public void denyTurnRestUser(String userId) throws ResourceException {
        managed().adapter().server().denyRestUser(userId);
    }

    @Override
    public String turnSecretTag() throws ResourceException {
        return managed().adapter().server().restSecretTag();
    }

    @Override
    public Map<String, Integer> turnAllocationsByUser() throws ResourceException {
        return managed().adapter().server().allocationsByUser();
    }

    @Override
    public void countTurnAllocationsElsewhere(Map<String, Integer> byUser) throws ResourceException {
        managed().adapter().server().countAllocationsElsewhere(byUser);
    }

    @Override
    public void setTurnAlternates(List<TurnAlternate> alternates) throws ResourceException {
        List<AlternateServers.Alternate> servers = new ArrayList<>(alternates.size());
        try {
            for (TurnAlternate a : alternates) {
                Protocol protocol = switch (a.transport()) {
                    case "udp" -> Protocol.UDP;
                    case "tcp" -> Protocol.TCP;
                    case "tls" -> Protocol.TLS;
                    default -> throw new IllegalArgumentException("unknown transport '" + a.transport() + "'");
                };
                servers.add(new AlternateServers.Alternate(protocol, a.address(), a.domain()));
            }
        } catch (IllegalArgumentException e) {
            throw new ResourceException(e.getMessage(), e);
        }
        managed().adapter().server().alternates(AlternateServers.of(servers));
    }

    @Override
    public boolean turnFull() throws ResourceException {
        return managed().adapter().server().turnFull();
    }

    @Override
    public TurnRestCredential issueRestCredential(String userId, Duration ttl) throws ResourceException {
        RestCredentialMinter.Minted m;
        try {
            m = managed().adapter().server().issueRestCredential(userId, ttl);
        } catch (IllegalArgumentException | java.lang.IllegalStateException e) {
            throw new ResourceException(e.getMessage(), e);
        }
        return new TurnRestCredential(m.username(), m.password(), m.expiresAt());
    }

    @Override
    public SfuAnswer openSfuSession(SfuOffer offer) throws ResourceException {
        return managed().adapter().server().openSfuSession(offer);
    }

    @Override
    public void closeSfuSession(String roomId, String sessionId) throws ResourceException {
        managed().adapter().server().closeSfuSession(roomId, sessionId);
    }

    @Override
    public SfuServerOffer openSfuSubscriber(String roomId, String participant, SfuLimits limits)
            throws ResourceException {
        return sfu().openSubscriber(roomId, participant, limits);
    }

    @Override
    public void answerSfuSubscriber(String roomId, String sessionId, String sdp) throws ResourceException {
        sfu().answerSubscriber(roomId, sessionId, sdp);
    }

    @Override
    public Optional<String> refreshSfuSubscriber(String roomId, String sessionId) throws ResourceException {
        return sfu().refreshSubscriber(roomId, sessionId);
    }

    @Override
    public SfuAnswer updateSfuPublisher(String roomId, String sessionId, String sdp) throws ResourceException {
        return sfu().updatePublisher(roomId, sessionId, sdp);
    }

    @Override
    public void setSfuVideoSize(String roomId, String sessionId, String trackId, int maxHeight)
            throws ResourceException {
        sfu().setVideoSize(roomId, sessionId, trackId, maxHeight);
    }

    @Override
    public SfuIceRestart restartSfuIce(String roomId, String sessionId, String iceUfrag, String icePwd)
            throws ResourceException {
        return sfu().restartIce(roomId, sessionId, iceUfrag, icePwd);
    }

    @Override
    public Optional<SfuRoomStatus> sfuRoom(String roomId) throws ResourceException {
        SfuService service = managed().adapter().server().sfu();
        return service == null ? Optional.empty() : service.room(roomId);
    }

    private SfuService sfu() throws ResourceException {
        return managed().adapter().server().sfuOrRefuse();
    }

    @Override
    public void close() {
        RelayManagedConnection mc = managed;
        managed = null;
        if (mc != null) {
            mc.handleClosed(this);
        }
    }

    void reassociate(RelayManagedConnection newManaged) {
        RelayManagedConnection old = managed;
        if (old != null && old != newManaged) {
            old.detach(this);
        }
        managed = newManaged;
    }

    void invalidate() {
        managed = null;
    }

    private RelayManagedConnection managed() throws ResourceException {
        RelayManagedConnection mc = managed;
        if (mc == null) {
            throw new IllegalStateException("Relay connection is closed");
        }
        return mc;
    }
}
