package dev.switchboard.relay.sfu;

import dev.switchboard.connector.sfu.SfuAnswer;
import dev.switchboard.connector.sfu.SfuOffer;
import dev.switchboard.connector.sfu.SfuRefusal;
import dev.switchboard.connector.sfu.SfuRole;
import dev.switchboard.relay.media.Packet;
import dev.switchboard.relay.media.PacketPool;
import dev.switchboard.relay.service.LoopService;
import dev.switchboard.relay.service.Routes;
import dev.switchboard.relay.sfu.dtls.DtlsCloseReason;
import dev.switchboard.relay.sfu.dtls.DtlsSession;
import dev.switchboard.relay.sfu.dtls.Fingerprint;
import dev.switchboard.relay.sfu.dtls.SrtpKeyingMaterial;
import dev.switchboard.relay.sfu.ice.CandidatePair;
import dev.switchboard.relay.sfu.ice.FiveTuple;
import dev.switchboard.relay.sfu.ice.IceCredentials;
import dev.switchboard.relay.sfu.ice.IceListener;
import dev.switchboard.relay.sfu.ice.IceLiteAgent;
import dev.switchboard.relay.sfu.ice.IceLiteSettings;
import dev.switchboard.relay.sfu.ice.IceSession;
import dev.switchboard.relay.sfu.rtcp.RtcpHeader;
import dev.switchboard.relay.sfu.sdp.SdpException;
import dev.switchboard.relay.sfu.sdp.SessionDescription;
import dev.switchboard.relay.sfu.sdp.MediaDescription;
import dev.switchboard.relay.sfu.sdp.Setup;
import dev.switchboard.relay.sfu.srtp.SrtpProfile;
import dev.switchboard.relay.sfu.srtp.SrtpSession;
import dev.switchboard.relay.stun.StunAttribute;
import dev.switchboard.relay.stun.StunException;
import dev.switchboard.relay.stun.StunMessage;
import dev.switchboard.relay.stun.StunMethod;
import dev.switchboard.relay.transport.EventLoop;
import dev.switchboard.relay.transport.Flow;
import dev.switchboard.relay.transport.LoopTimer;
import dev.switchboard.relay.transport.Outcome;
import dev.switchboard.relay.transport.PacketClass;
import dev.switchboard.relay.transport.PacketHandler;
import dev.switchboard.relay.transport.Protocol;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The SFU on one event loop: the rooms placed here with their peers, the ICE-lite agent their checks go to, and the
 * routes that feed them. STUN checks for a session of this loop's agent are answered here; other STUN goes to the
 * services before the SFU (Binding, TURN). DTLS and RTP/RTCP from a validated pair go to its peer; from a peer of
 * a room on another loop they are handed over ({@link SfuService#ownerOf}).
 */
final class SfuLoop implements LoopService, IceListener, PacketHandler {

    private static final Logger LOG = Logger.getLogger(SfuLoop.class.getName());
    /** How often the loop's clockwork runs: keyframe requests, reports, consent. */
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final long ICE_TICK_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** The owner of a packet between the loop that received it and the room's loop. */
    private static final Object HAND_OFF = "sfu hand-off";
    /** Packets in flight between loops at once; beyond it they are dropped (the peer's socket moves soon). */
    private static final int MAX_HANDED_OFF = 1024;

    /** What a placement made: the result, or the loop that has the room when another took it meanwhile. */
    record Placed<T>(T result, SfuLoop movedTo) {
    }

    /** An admission on this loop, once it has the room. */
    @FunctionalInterface
    interface Admission<T> {
        T admit(Room room) throws SfuRefusal;
    }

    private final SfuService service;
    private final EventLoop loop;
    private final int slot;
    private final IceLiteAgent agent;
    private final FiveTuple probe = new FiveTuple();
    private final StunMessage stun = new StunMessage();
    private final Map<String, Room> rooms = new HashMap<>();
    /**
     * The same rooms as a list, for the tick: iterating a map's values makes an iterator each time, and the loop
     * thread must not allocate in its steady state (see SfuPacketPathAllocationTest).
     */
    private final List<Room> roomList = new ArrayList<>();
    private final Map<String, Peer> peers = new HashMap<>();
    private final Map<InetSocketAddress, Flow> listeners = new HashMap<>();
    private final PacketPool pool = new PacketPool(PacketHandler.SCRATCH_SIZE, MAX_HANDED_OFF, 64, false);
    private final ByteBuffer handedIn = ByteBuffer.allocate(PacketHandler.SCRATCH_SIZE);
    private final ByteBuffer handedScratch = ByteBuffer.allocate(PacketHandler.SCRATCH_SIZE);
    private final MediaPipeline media;
    private final Negotiation negotiation;
    /** Packets other loops received for this loop's peers, and the task that takes them in. */
    private final HandOffQueue inbox = new HandOffQueue(MAX_HANDED_OFF);
    private final Runnable drainInbox = () -> inbox.drain(this::handedOver);
    private final LoopTimer timer;
    private long lastIceTick;
    private long lastSpeakerTick;
    private long speakerKeys;
    /** Dominant-speaker decisions: every 200 ms, as Jitsi's are. */
    private static final long SPEAKER_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private PacketHandler stunBefore;
    /** The flow of the check being answered, while the agent handles it. */
    private Flow checkFlow;
    private volatile int peerCount;
    private volatile boolean closed;

    SfuLoop(SfuService service, EventLoop loop, int slot) {
        this.service = service;
        this.loop = loop;
        this.slot = slot;
        this.agent = new IceLiteAgent(new IceLiteSettings(service.settings().maxSessions(), 8, Duration.ofSeconds(30),
                Duration.ofSeconds(30)), this, service.random());
        this.media = new MediaPipeline(service.counters());
        this.negotiation = new Negotiation(media);
        media.onLayers((publisher, detail) -> service.publish(dev.switchboard.connector.inbound.SfuEvent.Kind.LAYERS,
                publisher.room.id, publisher.id, publisher.label, detail));
        this.timer = loop.newTimer(this::tick);
    }

    EventLoop eventLoop() {
        return loop;
    }

    int slot() {
        return slot;
    }

    int peerCount() {
        return peerCount;
    }

    boolean isServing() {
        return slot >= 0 && !closed && loop.isOpen();
    }

    // ---- LoopService

    @Override
    public void contribute(Routes routes) {
        stunBefore = routes.handlerFor(PacketClass.STUN);
        routes.route(PacketClass.STUN, this::onStun)
                .route(PacketClass.DTLS, this)
                .route(PacketClass.RTP_RTCP, this);
    }

    @Override
    public void listening(Flow datagramListener) {
        InetSocketAddress local = datagramListener.localAddress();
        loop.execute(() -> listeners.put(local, datagramListener));
    }

    // ---- packets

    /** STUN: a check for this loop's agent, one for another loop's (handed over), or anything else (passed on). */
    private Outcome onStun(ByteBuffer packet, InetSocketAddress source, Flow flow, ByteBuffer scratch) {
        int start = packet.position();
        SfuLoop owner = checkOwner(packet);
        packet.position(start);
        if (owner == null) {
            return passOn(packet, source, flow, scratch);
        }
        if (owner != this) {
            return handOff(owner, packet, source, flow);
        }
        return answerCheck(packet, source, flow, scratch);
    }

    /** The loop a Binding request's USERNAME names, or null for STUN that is not an ICE check. Allocates nothing. */
    private SfuLoop checkOwner(ByteBuffer packet) {
        try {
            stun.decode(packet);
        } catch (StunException e) {
            return null;
        }
        if (stun.method() != StunMethod.BINDING || !stun.isRequest()) {
            return null;
        }
        int username = stun.indexOf(StunAttribute.USERNAME);
        if (username < 0 || stun.attributeLength(username) < IceCredentials.MIN_UFRAG) {
            return null;
        }
        return service.loopForUfragChar(stun.byteAt(stun.attributeOffset(username)));
    }

    private Outcome answerCheck(ByteBuffer packet, InetSocketAddress source, Flow flow, ByteBuffer scratch) {
        int start = packet.position();
        try {
            stun.decode(packet);
        } catch (StunException e) {
            packet.position(start);
            return passOn(packet, source, flow, scratch);
        }
        if (!agent.isCheckForSession(stun)) {
            packet.position(start);
            return passOn(packet, source, flow, scratch); // not one of ours: a plain Binding with a USERNAME
        }
        probe.set(flow.protocol(), source, flow.localAddress());
        scratch.clear();
        checkFlow = flow; // for selected(): a TCP pair's media goes back on this connection
        IceLiteAgent.Result result = agent.handle(stun, probe, scratch, loop.now());
        checkFlow = null;
        if (result == IceLiteAgent.Result.DROPPED) {
            return Outcome.DROPPED;
        }
        CandidatePair pair = agent.pair(probe);
        Peer peer = pair == null ? null : (Peer) pair.session().attachment();
        Flow out = peer != null && peer.dedicated != null && pair == peer.ice.selected() ? peer.dedicated : flow;
        out.send(scratch, source);
        return result == IceLiteAgent.Result.ANSWERED ? Outcome.HANDLED : Outcome.MALFORMED;
    }

    private Outcome passOn(ByteBuffer packet, InetSocketAddress source, Flow flow, ByteBuffer scratch) {
        return stunBefore == null ? Outcome.DROPPED : stunBefore.handle(packet, source, flow, scratch);
    }

    /** DTLS and RTP/RTCP: the packet of a validated pair goes to its peer. */
    @Override
    public Outcome handle(ByteBuffer packet, InetSocketAddress source, Flow flow, ByteBuffer scratch) {
        CandidatePair pair = agent.pair(probe.set(flow.protocol(), source, flow.localAddress()));
        if (pair == null) {
            SfuLoop owner = service.ownerOf(source);
            if (owner != null && owner != this) {
                return handOff(owner, packet, source, flow);
            }
            return Outcome.DROPPED;
        }
        Peer peer = (Peer) pair.session().attachment();
        if (peer.ended) {
            return Outcome.DROPPED;
        }
        if (PacketClass.ofFirstByte(packet.get(packet.position())) == PacketClass.DTLS) {
            return onDtls(peer, packet, source);
        }
        if (peer.srtp == null) {
            service.counters().dropped.increment();
            return Outcome.DROPPED;
        }
        // Into a heap buffer: SRTP and the rewrites run fastest on arrays, and the copy is what fan-out reads.
        ByteBuffer in = media.inbound();
        in.clear();
        in.put(packet).flip();
        boolean ok = RtcpHeader.isRtcp(in) ? media.onRtcp(peer, in, loop.now()) : media.onRtp(peer, in, loop.now());
        return ok ? Outcome.HANDLED : Outcome.DROPPED;
    }

    private Outcome onDtls(Peer peer, ByteBuffer packet, InetSocketAddress source) {
        DtlsSession session = peer.dtls;
        if (session != null && session.state() != DtlsSession.State.CLOSED) {
            session.onDatagram(packet);
            return Outcome.HANDLED;
        }
        // The pair passed an ICE check with MESSAGE-INTEGRITY: its address is proven, so no cookie exchange.
        DtlsSession made = service.dtls().acceptVerified(source, packet, (buf, off, len) -> sendDtls(peer, source, buf, off,
                len), peer.remoteFingerprint, new DtlsListener(peer));
        if (made != null) {
            peer.dtls = made;
        }
        return Outcome.HANDLED;
    }

    /** From the handshake's thread or this one: the bytes are copied and sent from the loop. */
    private void sendDtls(Peer peer, InetSocketAddress to, byte[] buf, int off, int len) {
        byte[] copy = java.util.Arrays.copyOfRange(buf, off, off + len);
        try {
            loop.execute(() -> {
                Flow out = peer.flow != null ? peer.flow : listenerFor(peer);
                if (out != null && !peer.ended) {
                    out.send(ByteBuffer.wrap(copy), peer.remote != null ? peer.remote : to);
                }
            });
        } catch (RejectedExecutionException e) {
            // the loop ended: so did the session
        }
    }

    private Flow listenerFor(Peer peer) {
        CandidatePair selected = peer.ice == null ? null : peer.ice.selected();
        return selected == null ? null : listeners.get(selected.local());
    }

    /** DTLS results arrive on handshake threads; the peer is the loop's, so they are applied there. */
    private final class DtlsListener implements DtlsSession.Listener {
        private final Peer peer;

        DtlsListener(Peer peer) {
            this.peer = peer;
        }

        @Override
        public void connected(DtlsSession session, SrtpKeyingMaterial keys) {
            SrtpProfile profile = SrtpProfile.forId(keys.profile().id());
            byte[] material = concat(keys.clientKey(), keys.serverKey(), keys.clientSalt(), keys.serverSalt());
            SrtpSession srtp = SrtpSession.fromDtls(profile, material, SrtpSession.Role.SERVER);
            runOnLoop(() -> {
                if (peer.dtls == session && !peer.ended) {
                    peer.srtp = srtp;
                    media.connected(peer, loop.now());
                }
            });
        }

        @Override
        public void closed(DtlsSession session, DtlsCloseReason reason) {
            runOnLoop(() -> {
                if (peer.dtls == session && !peer.ended) {
                    LOG.fine(() -> peer + ": DTLS ended, " + reason);
                    if (peer.srtp != null || reason == DtlsCloseReason.FINGERPRINT_MISMATCH) {
                        // the peer left (close_notify) or is not who its SDP said
                        endPeer(peer, "dtls-" + reason.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
                    } else {
                        peer.dtls = null; // a failed handshake: the peer's next ClientHello may start another
                    }
                }
            });
        }
    }

    private void runOnLoop(Runnable action) {
        try {
            loop.execute(action);
        } catch (RejectedExecutionException e) {
            // the loop ended, and its peers with it
        }
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    // ---- hand-off between loops

    /**
     * Copies a packet that reached this loop's socket into a pooled buffer and has the room's loop handle it as if
     * its own socket had received it, through that loop's {@link HandOffQueue} (no allocation per packet). Until the
     * room's loop has a socket connected to the peer, and always on a wildcard listener, a peer's packets may come
     * this way (docs/sfu.md, "The SFU service").
     */
    private Outcome handOff(SfuLoop owner, ByteBuffer packet, InetSocketAddress source, Flow flow) {
        Packet copy = pool.acquire(HAND_OFF);
        if (copy == null || !copy.fill(packet)) {
            if (copy != null) {
                copy.release(HAND_OFF);
            }
            service.counters().dropped.increment();
            return Outcome.DROPPED;
        }
        // A datagram's reply leaves by the room's loop's own socket on the same address; a stream's by its
        // connection, which stays on this loop.
        Flow stream = flow.protocol() == Protocol.UDP ? null : new CrossLoopFlow(flow, loop);
        if (!owner.inbox.offer(copy, source, flow.localAddress(), stream)) {
            copy.release(HAND_OFF);
            service.counters().dropped.increment();
            return Outcome.DROPPED;
        }
        if (owner.inbox.needsDrain()) {
            try {
                owner.loop.execute(owner.drainInbox);
            } catch (RejectedExecutionException e) {
                // the room's loop ended: its packets go with it (the pool's leak detection reclaims them)
            }
        }
        service.counters().handedOff.increment();
        return Outcome.HANDLED;
    }

    /** On the room's loop: a packet another loop received for one of its peers. */
    private void handedOver(Packet packet, InetSocketAddress source, InetSocketAddress local, Flow stream) {
        try {
            Flow flow = stream != null ? stream : listeners.get(local);
            if (flow == null || closed) {
                return;
            }
            handedIn.clear();
            handedIn.put(packet.array(), 0, packet.length()).flip();
            handedScratch.clear();
            if (PacketClass.ofFirstByte(handedIn.get(0)) == PacketClass.STUN) {
                answerCheck(handedIn, source, flow, handedScratch);
            } else {
                handle(handedIn, source, flow, handedScratch);
            }
        } finally {
            packet.releaseFromAnyThread(HAND_OFF);
        }
    }

    // ---- ICE

    @Override
    public void selected(IceSession session, CandidatePair previous) {
        Peer peer = (Peer) session.attachment();
        CandidatePair pair = session.selected();
        if (pair.protocol() != Protocol.UDP) {
            selectedStream(peer, pair);
            return;
        }
        Flow listener = listeners.get(pair.local());
        if (listener == null) {
            return;
        }
        InetSocketAddress remote = pair.remote();
        if (peer.dedicated != null && !remote.equals(peer.remote)) {
            peer.dedicated.close();
            peer.dedicated = null;
        }
        if (peer.remote != null && !peer.remote.equals(remote)) {
            service.disown(peer.remote, this);
        }
        peer.remote = remote;
        if (peer.dedicated == null) {
            peer.dedicated = listener.dedicatedTo(remote); // null: the listener serves it, as from other loops
        }
        peer.flow = peer.dedicated != null ? peer.dedicated : listener;
        service.own(remote, this);
    }

    /** ICE-TCP (RFC 6544): media goes back on the connection the nominating check came on. */
    private void selectedStream(Peer peer, CandidatePair pair) {
        Flow connection = checkFlow;
        if (connection == null) {
            return;
        }
        if (peer.dedicated != null) {
            peer.dedicated.close();
            peer.dedicated = null;
        }
        if (peer.remote != null) {
            service.disown(peer.remote, this);
        }
        peer.remote = pair.remote();
        peer.flow = connection;
        service.own(peer.remote, this); // the connection's loop hands its DTLS and media over by this
        // The peer goes with its connection (which, tied to it, gets the long timeout of bound connections).
        connection.addCloseListener(() -> runOnLoop(() -> {
            if (connection.equals(peer.flow)) {
                endPeer(peer, "tcp-closed");
            }
        }));
    }

    @Override
    public void failed(IceSession session, IceSession.Failure reason) {
        Peer peer = (Peer) session.attachment();
        LOG.fine(() -> peer + ": ICE failed, " + reason);
        peer.ice = null; // the agent forgot it already
        endPeer(peer, "ice-" + reason.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
    }

    // ---- control (on this loop, from SfuService)

    /** Runs {@code admission} on the room, made here if new; the room goes again if it is still empty after. */
    <T> Placed<T> place(String roomId, dev.switchboard.connector.sfu.SfuLimits limits, Admission<T> admission)
            throws SfuRefusal {
        if (closed || slot < 0) {
            throw new SfuRefusal(SfuRefusal.Reason.UNAVAILABLE, "the room's event loop is not serving");
        }
        Room room = rooms.get(roomId);
        if (room == null) {
            SfuLoop claimed = service.claimRoom(roomId, this);
            if (claimed != this) {
                return new Placed<>(null, claimed);
            }
            room = new Room(roomId);
            rooms.put(room.id, room);
            roomList.add(room);
        }
        room.limits = limits;
        try {
            return new Placed<>(admission.admit(room), null);
        } finally {
            if (room.isEmpty()) {
                dropRoom(room);
            }
        }
    }

    Placed<SfuAnswer> open(SfuOffer offer, SessionDescription sdp) throws SfuRefusal {
        return place(offer.roomId(), offer.limits(), room -> admit(room, offer, sdp));
    }

    private SfuAnswer admit(Room room, SfuOffer offer, SessionDescription sdp) throws SfuRefusal {
        SfuSettings settings = service.settings();
        if (offer.role() == SfuRole.PUBLISHER
                && room.publishers.size() >= Room.cap(settings.maxPublishersPerRoom(), offer.limits().maxPublishers())) {
            service.counters().refusedFull.incrementAndGet();
            throw new SfuRefusal(SfuRefusal.Reason.ROOM_FULL, "the room has as many publishers as it may");
        }
        if (offer.role() != SfuRole.PUBLISHER) {
            checkReceiverRoom(room, offer.limits());
        }
        OfferTransport remote = OfferTransport.of(sdp);
        String id = newSessionId();
        Peer peer = new Peer(id, room, offer.role(), Labels.token(offer.participant()), remote.fingerprint(),
                service.random());
        IceSession ice = agent.open(IceCredentials.iceChar(slot), remote.ufrag(), remote.pwd(), peer, loop.now());
        if (ice == null) {
            service.counters().refusedOverloaded.incrementAndGet();
            throw new SfuRefusal(SfuRefusal.Reason.OVERLOADED, "the SFU holds as many ICE sessions as it may");
        }
        peer.ice = ice;
        if (offer.role() == SfuRole.PUBLISHER) {
            long cap = settings.maxPublisherBitrate();
            long roomCap = offer.limits().maxPublisherBitrate();
            peer.maxBitrate = roomCap > 0 ? Math.min(cap, roomCap) : cap;
            peer.ingress.rate(2 * peer.maxBitrate);
        }
        String answer;
        try {
            answer = offer.role() == SfuRole.PUBLISHER
                    ? negotiation.acceptPublisher(peer, sdp, transport(peer, ice.credentials()))
                    : negotiation.acceptViewer(peer, sdp, transport(peer, ice.credentials()), room.tracks());
        } catch (SdpException e) {
            agent.close(ice);
            service.counters().badOffers.incrementAndGet();
            throw new SfuRefusal(SfuRefusal.Reason.BAD_OFFER, e.getMessage());
        }
        admitted(peer);
        if (offer.role() == SfuRole.PUBLISHER && !peer.published.isEmpty()) {
            tracksChanged(room);
        }
        return new SfuAnswer(id, answer);
    }

    private void checkReceiverRoom(Room room, dev.switchboard.connector.sfu.SfuLimits limits) throws SfuRefusal {
        if (room.viewers.size() >= Room.cap(service.settings().maxViewersPerRoom(), limits.maxViewers())) {
            service.counters().refusedFull.incrementAndGet();
            throw new SfuRefusal(SfuRefusal.Reason.ROOM_FULL, "the room has as many receivers as it may");
        }
    }

    /** A peer is in: entered in its room and the maps, counted, the clockwork running. */
    private void admitted(Peer peer) {
        (peer.role == SfuRole.PUBLISHER ? peer.room.publishers : peer.room.viewers).add(peer);
        if (peer.role == SfuRole.PUBLISHER) {
            peer.speakerKey = ++speakerKeys;
        }
        peers.put(peer.id, peer);
        peerCount = peers.size();
        service.sessionOpened(peer.id, this);
        service.counters().sessionsOpened.incrementAndGet();
        scheduleTick();
    }

    private dev.switchboard.relay.sfu.sdp.ServerTransport transport(Peer peer, IceCredentials credentials) {
        return transport(peer, credentials.localUfrag(), credentials.localPwd());
    }

    private dev.switchboard.relay.sfu.sdp.ServerTransport transport(Peer peer, String ufrag, String pwd) {
        Fingerprint ours = service.identity().fingerprint();
        return new dev.switchboard.relay.sfu.sdp.ServerTransport(peer.sdpSessionId, ufrag, pwd,
                new dev.switchboard.relay.sfu.sdp.Fingerprint(Fingerprint.ALGORITHM, ours.hex()),
                service.candidates());
    }

    // ---- subscribers (call participants' receiving sessions)

    Placed<dev.switchboard.connector.sfu.SfuServerOffer> openSubscriber(String roomId, String participant,
                                                                        dev.switchboard.connector.sfu.SfuLimits limits)
            throws SfuRefusal {
        return place(roomId, limits, room -> {
            checkReceiverRoom(room, limits);
            Peer peer = new Peer(newSessionId(), room, SfuRole.SUBSCRIBER, Labels.token(participant), null,
                    service.random());
            // Our ICE credentials go into the offer; the peer's come with its answer, and the ICE session then.
            IceCredentials local = IceCredentials.generate(service.random(), IceCredentials.iceChar(slot),
                    PLACEHOLDER_UFRAG, PLACEHOLDER_PWD);
            peer.subscriber = new SubscriberOffers(local.localUfrag(), local.localPwd(), peer.sdpSessionId);
            String offer = negotiation.offerSubscriber(peer, transport(peer, local.localUfrag(), local.localPwd()),
                    tracksFor(peer));
            admitted(peer);
            return new dev.switchboard.connector.sfu.SfuServerOffer(peer.id, offer);
        });
    }

    private static final String PLACEHOLDER_UFRAG = "none";
    private static final String PLACEHOLDER_PWD = "nonenonenonenonenonenone";

    /** What a receiver should get: the room's tracks but its own participant's. */
    private static List<PublishedTrack> tracksFor(Peer receiver) {
        List<PublishedTrack> tracks = new ArrayList<>();
        for (PublishedTrack t : receiver.room.tracks()) {
            if (!t.publisher.label.equals(receiver.label)) {
                tracks.add(t);
            }
        }
        return tracks;
    }

    boolean answerSubscriber(String roomId, String sessionId, SessionDescription answer) throws SfuRefusal {
        Peer peer = peerIn(roomId, sessionId);
        if (peer == null || peer.subscriber == null) {
            return false;
        }
        SubscriberOffers offers = peer.subscriber;
        if (!offers.pending) {
            throw new SfuRefusal(SfuRefusal.Reason.BAD_OFFER, "no offer of the relay awaits an answer");
        }
        OfferTransport remote = OfferTransport.of(answer);
        for (MediaDescription m : answer.media()) {
            Setup setup = m.transport().or(answer.transport()).setup();
            if (!m.isRejected() && setup == Setup.PASSIVE) {
                throw new SfuRefusal(SfuRefusal.Reason.BAD_OFFER, "a=setup:passive: the SFU is the DTLS server,"
                        + " the subscriber answers active (RFC 8842 §5.2)");
            }
        }
        if (peer.ice == null) {
            IceSession ice;
            try {
                ice = agent.open(new IceCredentials(offers.localUfrag, offers.localPwd, remote.ufrag(),
                        remote.pwd()), peer, loop.now());
            } catch (IllegalArgumentException e) {
                throw new SfuRefusal(SfuRefusal.Reason.BAD_OFFER, e.getMessage());
            }
            if (ice == null) {
                throw new SfuRefusal(SfuRefusal.Reason.OVERLOADED, "the SFU holds as many ICE sessions as it may");
            }
            peer.ice = ice;
            peer.remoteFingerprint = remote.fingerprint();
        } else if (!peer.ice.credentials().remoteUfrag().equals(remote.ufrag())) {
            throw new SfuRefusal(SfuRefusal.Reason.BAD_OFFER, "an ICE restart is not supported yet");
        }
        try {
            negotiation.answerSubscriber(peer, answer);
        } catch (SdpException e) {
            throw new SfuRefusal(SfuRefusal.Reason.BAD_OFFER, e.getMessage());
        }
        if (peer.srtp != null) {
            media.connected(peer, loop.now()); // new tracks on a running transport: start them at keyframes
        }
        return true;
    }

    /** A new offer when the subscriber's tracks changed; empty when not, or while an offer awaits its answer. */
    Optional<String> refreshSubscriber(String roomId, String sessionId) throws SfuRefusal {
        Peer peer = peerIn(roomId, sessionId);
        if (peer == null || peer.subscriber == null) {
            throw new SfuRefusal(SfuRefusal.Reason.NO_SUCH_SESSION, "no such subscriber session");
        }
        List<PublishedTrack> tracks = tracksFor(peer);
        if (peer.subscriber.pending || !peer.subscriber.differsFrom(tracks)) {
            return Optional.empty();
        }
        return Optional.of(negotiation.offerSubscriber(peer, transport(peer, peer.subscriber.localUfrag,
                peer.subscriber.localPwd), tracks));
    }

    SfuAnswer updatePublisher(String roomId, String sessionId, SessionDescription offer) throws SfuRefusal {
        Peer peer = peerIn(roomId, sessionId);
        if (peer == null || peer.role != SfuRole.PUBLISHER) {
            throw new SfuRefusal(SfuRefusal.Reason.NO_SUCH_SESSION, "no such publisher session");
        }
        OfferTransport remote = OfferTransport.of(offer);
        if (!peer.ice.credentials().remoteUfrag().equals(remote.ufrag())) {
            throw new SfuRefusal(SfuRefusal.Reason.BAD_OFFER, "an ICE restart is not supported yet");
        }
        Negotiation.Renegotiated r;
        try {
            r = negotiation.updatePublisher(peer, offer, transport(peer, peer.ice.credentials()), ++peer.sdpVersion);
        } catch (SdpException e) {
            throw new SfuRefusal(SfuRefusal.Reason.BAD_OFFER, e.getMessage());
        }
        if (r.tracksChanged()) {
            tracksChanged(peer.room);
        }
        return new SfuAnswer(peer.id, r.answer());
    }

    /**
     * An ICE restart of a peer that offered (a publisher or viewer): new local credentials with the peer's new ones;
     * the old session's pairs are forgotten, and media flows again once a check on the new credentials arrives (the
     * path it nominates may differ). DTLS and SRTP are kept. Null when there is no such session.
     */
    dev.switchboard.connector.sfu.SfuIceRestart restartIce(String roomId, String sessionId, String ufrag,
                                                             String pwd) throws SfuRefusal {
        Peer peer = peerIn(roomId, sessionId);
        if (peer == null || peer.subscriber != null) {
            return null;
        }
        IceSession fresh = agent.open(IceCredentials.iceChar(slot), ufrag, pwd, peer, loop.now());
        if (fresh == null) {
            throw new SfuRefusal(SfuRefusal.Reason.OVERLOADED, "the SFU holds as many ICE sessions as it may");
        }
        if (peer.ice != null) {
            agent.close(peer.ice);
        }
        peer.ice = fresh;
        List<String> candidates = new ArrayList<>();
        for (dev.switchboard.relay.sfu.sdp.Candidate c : service.candidates()) {
            candidates.add(c.sdpValue());
        }
        return new dev.switchboard.connector.sfu.SfuIceRestart(fresh.credentials().localUfrag(),
                fresh.credentials().localPwd(), candidates);
    }

    boolean setVideoSize(String roomId, String sessionId, String trackId, int maxHeight) {
        Peer peer = peerIn(roomId, sessionId);
        return peer != null && media.setVideoSize(peer, trackId, maxHeight);
    }

    private Peer peerIn(String roomId, String sessionId) {
        Peer peer = peers.get(sessionId);
        return peer != null && peer.room.id.equals(roomId) && !peer.ended ? peer : null;
    }

    /** The room as served now, or null when this loop has no such room. */
    dev.switchboard.connector.sfu.SfuRoomStatus status(String roomId) {
        Room room = rooms.get(roomId);
        return room == null ? null : RoomStatus.of(room);
    }

    /** The room's tracks changed: the application tells its subscribers (new offers). */
    private void tracksChanged(Room room) {
        service.publish(dev.switchboard.connector.inbound.SfuEvent.Kind.TRACKS_CHANGED, room.id, null, null, "");
    }

    private String newSessionId() {
        byte[] id = new byte[16];
        service.random().nextBytes(id);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(id);
    }

    boolean close(String roomId, String sessionId) {
        Peer peer = peerIn(roomId, sessionId);
        if (peer == null) {
            return false;
        }
        endPeer(peer, null);
        return true;
    }

    /**
     * Ends a peer: its transport closes, its tracks end for their viewers, its room goes when empty.
     *
     * @param unasked why, when the application did not ask (then it hears of it), or null
     */
    private void endPeer(Peer peer, String unasked) {
        if (peer.ended) {
            return;
        }
        peer.ended = true;
        if (peer.ice != null) {
            agent.close(peer.ice);
        }
        if (peer.dtls != null) {
            peer.dtls.close();
        }
        if (peer.dedicated != null) {
            peer.dedicated.close();
        }
        if (peer.remote != null) {
            service.disown(peer.remote, this);
        }
        boolean hadTracks = !peer.published.isEmpty();
        media.ended(peer);
        Room room = peer.room;
        room.publishers.remove(peer);
        room.viewers.remove(peer);
        room.speaker.remove(peer.speakerKey);
        if (unasked != null) {
            service.publish(dev.switchboard.connector.inbound.SfuEvent.Kind.SESSION_ENDED, room.id, peer.id,
                    peer.label, unasked);
        }
        if (hadTracks && !room.isEmpty()) {
            tracksChanged(room);
        }
        if (room.isEmpty()) {
            dropRoom(room);
        }
        peers.remove(peer.id);
        peerCount = peers.size();
        service.sessionEnded(peer.id);
        service.counters().sessionsEnded.incrementAndGet();
    }

    private void dropRoom(Room room) {
        if (rooms.remove(room.id, room)) {
            roomList.remove(room);
            service.roomEnded(room.id, this);
        }
    }

    // ---- clockwork

    private void scheduleTick() {
        if (!timer.isScheduled() && !closed) {
            timer.schedule(TICK_NANOS, TimeUnit.NANOSECONDS);
        }
    }

    private void tick() {
        long now = loop.now();
        pool.reclaim();
        if (now - lastIceTick >= ICE_TICK_NANOS) {
            lastIceTick = now;
            agent.tick(now);
        }
        media.tick(roomList, now);
        if (now - lastSpeakerTick >= SPEAKER_TICK_NANOS) {
            lastSpeakerTick = now;
            for (int r = 0, n = roomList.size(); r < n; r++) {
                Room room = roomList.get(r);
                if (room.speaker.tick(now)) {
                    service.publish(dev.switchboard.connector.inbound.SfuEvent.Kind.SPEAKER_CHANGED, room.id, null,
                            room.labelOf(room.speaker.dominant()), "");
                }
            }
        }
        if (!peers.isEmpty()) {
            scheduleTick();
        }
    }

    @Override
    public void close() {
        closed = true;
        if (loop.inEventLoop() || loop.isTerminated()) {
            endAll();
        } else {
            try {
                loop.submit(() -> {
                    endAll();
                    return null;
                }).get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                // The loop is stuck or gone: nobody else touches its state now, or ever will.
                endAll();
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        service.loopEnded(this);
    }

    private void endAll() {
        for (Peer peer : new ArrayList<>(peers.values())) {
            try {
                endPeer(peer, null);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "SFU peer " + peer + " did not end cleanly", e);
            }
        }
        for (Room room : List.copyOf(rooms.values())) {
            dropRoom(room);
        }
        inbox.drain((packet, source, local, stream) -> packet.releaseFromAnyThread(HAND_OFF));
        timer.cancel();
    }
}
