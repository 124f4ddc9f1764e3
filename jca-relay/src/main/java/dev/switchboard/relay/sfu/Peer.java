package dev.switchboard.relay.sfu;

import dev.switchboard.connector.sfu.SfuRole;
import dev.switchboard.relay.sfu.dtls.DtlsSession;
import dev.switchboard.relay.sfu.dtls.Fingerprint;
import dev.switchboard.relay.sfu.feedback.TwccRecorder;
import dev.switchboard.relay.sfu.bwe.BandwidthEstimator;
import dev.switchboard.relay.sfu.simulcast.SubscriberAllocator;
import dev.switchboard.relay.sfu.forward.TransportSequencer;
import dev.switchboard.relay.sfu.ice.IceSession;
import dev.switchboard.relay.sfu.srtp.SrtpContext;
import dev.switchboard.relay.sfu.srtp.SrtpResult;
import dev.switchboard.relay.sfu.srtp.SrtpSession;
import dev.switchboard.relay.transport.Flow;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * One peer connection of the SFU (a WHIP publisher, a WHEP viewer): its transport (ICE session, the path media
 * goes on, DTLS, SRTP) and what it publishes or receives. Confined to its room's loop.
 */
final class Peer {

    final String id;
    final Room room;
    final SfuRole role;
    final String label;
    /** The certificate the peer's SDP announced: its DTLS handshake must present it. */
    Fingerprint remoteFingerprint;
    IceSession ice;
    /** Where media to the peer goes (its nominated pair's remote), and the flow that sends there. */
    InetSocketAddress remote;
    Flow flow;
    /** A socket of the room's loop connected to the peer, when one could be opened (see {@link Flow#dedicatedTo}). */
    Flow dedicated;
    DtlsSession dtls;
    /** Null until DTLS completes: media before it is dropped. */
    SrtpSession srtp;
    /** An SSRC for the RTCP we send (PLI, receiver reports); never used for media. */
    final int rtcpSsrc;
    final List<PublishedTrack> published = new ArrayList<>();
    /** A publisher's transport-wide-cc extension id (0: not negotiated) and the arrivals it reports back. */
    int twccExtension;
    TwccRecorder twcc;
    long lastTwccNanos;
    long lastReportNanos;
    final List<Subscription> subscriptions = new ArrayList<>();
    /**
     * What we may send this peer (a receiver): from its transport-wide-cc feedback, or its REMB where it negotiated no
     * transport-wide-cc; and the layer choice it drives. Made with the first subscription.
     */
    BandwidthEstimator estimator;
    final SubscriberAllocator allocator = new SubscriberAllocator();
    /** Probing towards this receiver: the rate, until when, the rest after, and the bytes due since the last tick. */
    long probeBps;
    long probeUntil;
    long probeRestUntil;
    long probeLast;
    long probeCredit;
    /** A publisher's bitrate cap (bits/s, 0 for receivers) and the policer of what it sends. */
    long maxBitrate;
    final IngressPolicer ingress = new IngressPolicer();
    /** A subscriber's offers (null for publishers and viewers, who offer themselves). */
    SubscriberOffers subscriber;
    /** The o= session id and version of our SDPs to this peer (answers and offers count up together). */
    long sdpSessionId;
    long sdpVersion = 1;
    /** The peer's key in its room's speaker detection. */
    long speakerKey;
    /** The transport-wide-cc numbering of what this peer receives from us (one counter per transport). */
    final TransportSequencer transportSequence = new TransportSequencer();
    /** The cname of the SSRCs we send this peer (RFC 7022: random per session). */
    final String cname;
    private final java.util.Random ssrcs;
    boolean ended;

    Peer(String id, Room room, SfuRole role, String label, Fingerprint remoteFingerprint, java.util.Random random) {
        this.id = id;
        this.ssrcs = random;
        this.rtcpSsrc = newSsrc();
        this.cname = Long.toString(random.nextLong() & Long.MAX_VALUE, 36);
        this.room = room;
        this.role = role;
        this.label = label;
        this.remoteFingerprint = remoteFingerprint;
        this.sdpSessionId = random.nextLong() & Long.MAX_VALUE;
    }

    /** A new SSRC for something we send this peer: random, never 0, never one already used towards it. */
    int newSsrc() {
        while (true) {
            int ssrc = ssrcs.nextInt();
            if (ssrc == 0 || ssrc == rtcpSsrc) {
                continue;
            }
            boolean taken = false;
            for (Subscription s : subscriptions) {
                taken |= s.ssrc() == ssrc || s.stream.rtxSsrc() == ssrc;
            }
            if (!taken) {
                return ssrc;
            }
        }
    }

    boolean canSend() {
        return srtp != null && flow != null && !ended;
    }

    /**
     * Protects the RTP packet between {@code out}'s position and limit in place and sends it to the peer. {@code out}
     * must have room for the SRTP tag past its limit.
     *
     * @return the bytes sent, or -1 when nothing went out
     */
    int sendRtp(ByteBuffer out) {
        return canSend() ? sent(out, srtp.outbound().protectRtp(out)) : -1;
    }

    /**
     * As {@link #sendRtp}, for an RTP packet sent before under the same SSRC and sequence number, with the same
     * payload (a retransmission to a receiver without RTX; {@link SrtpContext#protectRtpAgain}).
     */
    int resendRtp(ByteBuffer out) {
        return canSend() ? sent(out, srtp.outbound().protectRtpAgain(out)) : -1;
    }

    /** As {@link #sendRtp}, for an RTCP compound packet. */
    int sendRtcp(ByteBuffer out) {
        return canSend() ? sent(out, srtp.outbound().protectRtcp(out)) : -1;
    }

    /** Sends {@code out} once protecting it gave {@code protectedLength} (or an error: nothing goes out). */
    private int sent(ByteBuffer out, int protectedLength) {
        if (SrtpResult.isError(protectedLength)) {
            return -1;
        }
        return flow.send(out, remote) ? protectedLength : -1;
    }

    /** Sends raw bytes (DTLS records) to the peer; loop thread. */
    void sendRaw(ByteBuffer data) {
        if (flow != null && !ended) {
            flow.send(data, remote);
        }
    }

    @Override
    public String toString() {
        return "Peer[" + role + " " + label + " in " + room.id + "]";
    }
}
