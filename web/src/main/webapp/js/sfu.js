// A call in an sfu room (docs/signaling.md, "SFU rooms"): one publishing RTCPeerConnection (camera and microphone,
// the camera in three simulcast layers, a screen share as a further video track by renegotiation) and one
// receiving connection, offered by the server with everyone else's tracks and offered again as they come and go.
// Each received track's stream id is its publisher's participant id: that is how a track finds its tile.
import {summarize} from './mesh.js';

/** Lowest first: the SFU reads the layers' order from the offer (docs/sfu.md, "From SDP to the maps"). */
const SIMULCAST = [
    {rid: 'q', scaleResolutionDownBy: 4, maxBitrate: 150000},
    {rid: 'h', scaleResolutionDownBy: 2, maxBitrate: 500000},
    {rid: 'f', maxBitrate: 1500000},
];

export class SfuCall extends EventTarget {
    constructor(signaling, localStream, rtcConfig) {
        super();
        this.signaling = signaling;
        this.localStream = localStream;
        this.rtcConfig = rtcConfig;
        this.users = new Map();      // participant id -> user name
        this.remotes = new Map();    // participant id -> {id, stream, muted: {audio, video}}
        this.tracks = new Map();     // received track id -> {id, kind, publisher, relayTrack, mid, live, firstFrameAt}
        this.chat = [];              // {from, user, text, at}
        this.speaker = null;
        this.muted = {audio: false, video: false};
        this.pub = null;
        this.sub = null;
        this.videoSender = null;
        this.screen = null;          // {stream, transceiver}
        this.subConnectedAt = null;  // performance.now() when the receiving connection first connected
        this.stats = {};             // the receiving connection's summary, and per track below
        this.trackStats = new Map(); // received track id -> {framesDecoded, width, height, fps, packets}
        this.sentSizes = new Map();  // relay track id -> height last sent
        this.pending = new Map();    // request id -> {resolve, reject}
        this.requests = 0;
        this.queue = Promise.resolve();
        this.error = null;
        this.events = [];            // what happened, for the curious: [{t, what}]
        this.onMessage = e => this.message(e.detail);
        signaling.addEventListener('message', this.onMessage);
        this.statsTimer = setInterval(() => this.pollStats(), 1000);
    }

    emit(type, detail) {
        this.dispatchEvent(new CustomEvent(type, {detail}));
    }

    log(what) {
        this.events.push({t: Math.round(performance.now()), what});
        if (this.events.length > 200) {
            this.events.shift();
        }
    }

    fail(e) {
        this.error = String(e && e.message || e);
        this.log('error ' + this.error);
        console.warn('sfu', e);
        this.emit('change');
    }

    /** Sends {@code m} with a fresh id; resolves with the reply that carries it, rejects on an error about it. */
    request(m) {
        const id = 'sfu-' + (++this.requests);
        return new Promise((resolve, reject) => {
            this.pending.set(id, {resolve, reject});
            this.signaling.send({...m, id});
        });
    }

    /** Work on the connections runs in order: one negotiation at a time. */
    run(step) {
        this.queue = this.queue.then(step).catch(e => this.fail(e));
        return this.queue;
    }

    message(m) {
        if (m.id !== undefined && this.pending.has(m.id)) {
            const p = this.pending.get(m.id);
            this.pending.delete(m.id);
            if (m.type === 'error') {
                p.reject(new Error(m.code + ': ' + m.message));
            } else {
                p.resolve(m);
            }
            if (m.type !== 'subscriber-offer') {
                return;
            }
        }
        switch (m.type) {
            case 'joined':
                // a fresh participant (first join, or a rejoin after a failed resume): new sessions
                this.users = new Map(m.participants.map(p => [p.id, p.user]));
                this.users.set(m.participant, m.user);
                this.restart();
                break;
            case 'participant-joined':
                this.users.set(m.participant.id, m.participant.user);
                this.emit('change');
                break;
            case 'participant-left':
                this.users.delete(m.participant);
                this.remotes.delete(m.participant);
                this.emit('change');
                break;
            case 'subscriber-offer':
                if (m.id === undefined) { // the room changed
                    this.run(() => this.answerOffer(m.sdp));
                }
                break;
            case 'muted':
                this.remote(m.participant).muted[m.kind] = m.muted;
                this.emit('change');
                break;
            case 'speaker':
                this.speaker = m.participant;
                this.emit('change');
                break;
            case 'layers': // nobody watches the other simulcast layers of our camera: stop encoding them
                this.run(() => this.setActiveLayers(m.track, m.active));
                break;
            case 'chat':
                this.chat.push({from: m.from, user: m.user, text: m.text, at: m.at});
                if (this.chat.length > 500) {
                    this.chat.shift();
                }
                this.emit('chat');
                break;
            case 'media-moved': // the node that served the room's media left the cluster: new sessions on its successor
                this.log('media moved');
                this.error = null; // what failed was the old node's sessions
                this.restart();
                break;
            case 'sfu-session-ended':
                this.log('server ended the ' + m.session + ' session: ' + m.reason);
                this.run(() => m.session === 'publish' ? this.publish(true) : this.subscribe());
                break;
            case 'error':
                // a reply to a request was handled above; these answer a message sent without an id. A size report
                // or an answer racing a re-subscribe is harmless; the rest the user should see.
                if (m.code === 'no-sfu-session' || m.code === 'rate-limited') {
                    this.log(m.code + ': ' + m.message);
                } else if (m.id === undefined) {
                    this.fail(m.code + ': ' + m.message);
                }
                break;
        }
    }

    remote(id) {
        let r = this.remotes.get(id);
        if (!r) {
            r = {id, stream: new MediaStream(), screen: new MediaStream(), muted: {audio: false, video: false}};
            this.remotes.set(id, r);
        }
        return r;
    }

    restart() {
        this.closeConnections();
        this.run(() => this.publish(true));
        this.run(() => this.subscribe());
    }

    // ---- publishing

    /** Offers what we send; {@code fresh}: on a new connection (the first time, or after the server ended it). */
    async publish(fresh) {
        if (fresh) {
            if (this.pub) {
                this.pub.close();
            }
            this.pub = new RTCPeerConnection(this.rtcConfig);
            this.pub.onconnectionstatechange = () => {
                this.log('publish ' + this.pub.connectionState);
                this.emit('change');
            };
            const audio = this.localStream.getAudioTracks()[0];
            const video = this.localStream.getVideoTracks()[0];
            if (audio) {
                this.pub.addTransceiver(audio, {direction: 'sendonly', streams: [this.localStream]});
            }
            if (video) {
                this.videoSender = this.pub.addTransceiver(video, {direction: 'sendonly', streams: [this.localStream],
                    sendEncodings: SIMULCAST}).sender;
            }
            if (this.screen) {
                this.screen.transceiver = this.pub.addTransceiver(this.screen.stream.getVideoTracks()[0],
                    {direction: 'sendonly', streams: [this.screen.stream]});
            }
        }
        await this.pub.setLocalDescription(await this.pub.createOffer());
        const reply = await this.request({type: 'publish', sdp: this.pub.localDescription.sdp});
        await this.pub.setRemoteDescription({type: 'answer', sdp: reply.sdp});
        this.log('published');
    }

    /** Sends only the simulcast encodings whose rid the server names, if {@code track} is our camera's. */
    async setActiveLayers(track, active) {
        const t = this.pub && this.videoSender && this.pub.getTransceivers().find(x => x.sender === this.videoSender);
        if (!t || !t.mid || !track.endsWith('-' + t.mid)) {
            return;
        }
        const params = this.videoSender.getParameters();
        if (!params.encodings || params.encodings.length < 2) {
            return;
        }
        params.encodings.forEach(e => { e.active = active.includes(e.rid); });
        await this.videoSender.setParameters(params);
        this.log('sending layers ' + active.join(','));
    }

    /** Mutes or unmutes the microphone or camera: the track stops sending, everyone is told. */
    setMuted(kind, muted) {
        this.muted[kind] = muted;
        this.localStream.getTracks().filter(t => t.kind === kind).forEach(t => t.enabled = !muted);
        this.signaling.send({type: 'mute', kind, muted});
        this.emit('change');
    }

    /** Another camera or microphone: the sender's track is replaced, no renegotiation. */
    async replaceTrack(track) {
        if (!this.pub) {
            return;
        }
        const sender = this.pub.getSenders().find(s => s.track && s.track.kind === track.kind
            && (!this.screen || s.track !== this.screen.stream.getVideoTracks()[0]));
        if (sender) {
            await sender.replaceTrack(track);
        }
    }

    /** A screen share is a further video section on the publishing connection: a renegotiation adds it. */
    async shareScreen() {
        if (this.screen) {
            return;
        }
        const stream = await navigator.mediaDevices.getDisplayMedia({video: {frameRate: 10}, audio: false});
        const track = stream.getVideoTracks()[0];
        track.onended = () => this.stopScreen(); // the browser's own "stop sharing"
        await this.run(async () => {
            this.screen = {stream, transceiver: this.pub.addTransceiver(track, {direction: 'sendonly', streams: [stream]})};
            await this.publish(false);
        });
        this.emit('change');
    }

    async stopScreen() {
        const s = this.screen;
        if (!s) {
            return;
        }
        this.screen = null;
        s.stream.getTracks().forEach(t => t.stop());
        await this.run(async () => {
            s.transceiver.stop(); // its section goes to port 0: the server ends the track for everyone
            await this.publish(false);
        });
        this.emit('change');
    }

    // ---- receiving

    async subscribe() {
        if (this.sub) {
            this.sub.close();
        }
        this.tracks.clear();
        for (const r of this.remotes.values()) {
            r.stream.getTracks().forEach(t => r.stream.removeTrack(t));
            r.screen.getTracks().forEach(t => r.screen.removeTrack(t));
        }
        this.sentSizes.clear();
        this.subConnectedAt = null;
        const sub = new RTCPeerConnection(this.rtcConfig);
        this.sub = sub;
        sub.onconnectionstatechange = () => {
            this.log('subscribe ' + sub.connectionState);
            if (sub.connectionState === 'connected' && this.subConnectedAt === null && this.sub === sub) {
                this.subConnectedAt = performance.now();
            }
            this.emit('change');
        };
        sub.ontrack = e => this.onTrack(e);
        const offer = await this.request({type: 'subscribe'});
        await this.answerOffer(offer.sdp);
    }

    async answerOffer(sdp) {
        if (!this.sub) {
            return;
        }
        this.sections = sections(sdp);
        this.negotiating = true; // a size for a track of this offer before our answer would name a track not received yet
        try {
            await this.sub.setRemoteDescription({type: 'offer', sdp});
            await this.sub.setLocalDescription(await this.sub.createAnswer());
            this.signaling.send({type: 'subscriber-answer', sdp: this.sub.localDescription.sdp});
        } finally {
            this.negotiating = false;
        }
        this.reconcile();
        this.emit('change'); // sizes go out now
    }

    onTrack(e) {
        const mid = e.transceiver && e.transceiver.mid;
        const section = (this.sections && this.sections.get(mid)) || {};
        const publisher = (e.streams[0] && e.streams[0].id) || section.stream || 'unknown';
        const info = {id: e.track.id, kind: e.track.kind, publisher, relayTrack: section.track || e.track.id, mid,
            live: true, firstFrameAt: null, track: e.track};
        this.tracks.set(e.track.id, info);
        const r = this.remote(publisher);
        // the first video track of a participant is its camera; a second one is its screen
        const camera = r.stream.getVideoTracks().filter(t => this.tracks.get(t.id) && this.tracks.get(t.id).live);
        if (e.track.kind === 'video' && camera.length > 0) {
            r.screen.addTrack(e.track);
        } else {
            r.stream.addTrack(e.track);
        }
        e.track.addEventListener('ended', () => this.trackGone(info));
        if (e.streams[0]) {
            e.streams[0].addEventListener('removetrack', ev => {
                if (ev.track.id === info.id) {
                    this.trackGone(info);
                }
            });
        }
        this.log('track ' + info.kind + ' of ' + publisher + ' (' + info.relayTrack + ')');
        this.emit('change');
    }

    /** After each negotiation: a section the server stopped or made inactive no longer carries its track. */
    reconcile() {
        for (const t of this.sub.getTransceivers()) {
            const track = t.receiver && t.receiver.track;
            const info = track && this.tracks.get(track.id);
            if (info && info.live && (t.stopped || t.currentDirection === 'inactive' || t.currentDirection === 'stopped'
                || t.direction === 'stopped')) {
                this.trackGone(info);
            }
        }
    }

    trackGone(info) {
        if (!info.live) {
            return;
        }
        info.live = false;
        info.endedAt = performance.now();
        const r = this.remotes.get(info.publisher);
        if (r) {
            r.stream.getTracks().concat(r.screen.getTracks()).filter(t => t.id === info.id).forEach(t => {
                r.stream.removeTrack(t);
                r.screen.removeTrack(t);
            });
        }
        this.log('track ended ' + info.relayTrack);
        this.emit('change');
    }

    /** A tile's video element showed a track's first frame. */
    firstFrame(trackId, at) {
        const info = this.tracks.get(trackId);
        if (info && info.firstFrameAt === null) {
            info.firstFrameAt = at;
            this.emit('change');
        }
    }

    /** The height a received video track is shown at, so the server sends the layer that fits. */
    reportSize(trackId, height) {
        const info = this.tracks.get(trackId);
        if (!info || !info.live || !this.sub || this.negotiating) {
            return;
        }
        const h = Math.max(0, Math.min(4320, Math.round(height)));
        if (this.sentSizes.get(info.relayTrack) === h) {
            return;
        }
        this.sentSizes.set(info.relayTrack, h);
        this.signaling.send({type: 'video-size', track: info.relayTrack, height: h});
    }

    async pollStats() {
        if (!this.sub) {
            return;
        }
        try {
            const report = await this.sub.getStats();
            this.stats = summarize(report);
            const per = new Map();
            report.forEach(s => {
                if (s.type !== 'inbound-rtp') {
                    return;
                }
                let id = s.trackIdentifier;
                if (!id || !this.tracks.has(id)) {
                    const t = this.sub.getTransceivers().find(x => x.mid === s.mid);
                    id = t && t.receiver.track && t.receiver.track.id;
                }
                if (id) {
                    per.set(id, {framesDecoded: s.framesDecoded || 0, width: s.frameWidth || 0,
                        height: s.frameHeight || 0, fps: s.framesPerSecond || 0, packets: s.packetsReceived || 0,
                        audioEnergy: s.totalAudioEnergy || 0});
                }
            });
            this.trackStats = per;
        } catch (e) {
            // closed meanwhile
        }
        this.emit('stats');
    }

    closeConnections() {
        for (const pc of [this.pub, this.sub]) {
            if (pc) {
                pc.close();
            }
        }
        this.pub = null;
        this.sub = null;
    }

    stop() {
        clearInterval(this.statsTimer);
        this.signaling.removeEventListener('message', this.onMessage);
        if (this.screen) {
            this.screen.stream.getTracks().forEach(t => t.stop());
            this.screen = null;
        }
        this.closeConnections();
    }

    /** What the page knows, as data. */
    state() {
        const tracks = [...this.tracks.values()].map(t => ({id: t.id, kind: t.kind, publisher: t.publisher,
            relayTrack: t.relayTrack, live: t.live, readyState: t.track.readyState,
            firstFrameAfterConnect: t.firstFrameAt !== null && this.subConnectedAt !== null
                ? Math.round(t.firstFrameAt - this.subConnectedAt) : null,
            ...(this.trackStats.get(t.id) || {})}));
        return {
            publish: this.pub && this.pub.connectionState,
            subscribe: this.sub && this.sub.connectionState,
            subscribeConnectedAt: this.subConnectedAt,
            path: this.stats.path || null, local: this.stats.local || null, remote: this.stats.remote || null,
            speaker: this.speaker, muted: this.muted, sharing: !!this.screen,
            remotes: [...this.remotes.values()].map(r => ({id: r.id, user: this.users.get(r.id) || null, muted: r.muted,
                tracks: tracks.filter(t => t.publisher === r.id)})),
            tracks, error: this.error, events: this.events.slice(-30),
        };
    }
}

/** mid -> {stream, track} from the server's offer's a=msid lines. */
function sections(sdp) {
    const out = new Map();
    let mid = null;
    let msid = null;
    const flush = () => {
        if (mid !== null && msid) {
            out.set(mid, {stream: msid[0], track: msid[1]});
        }
    };
    for (const line of sdp.split(/\r?\n/)) {
        if (line.startsWith('m=')) {
            flush();
            mid = null;
            msid = null;
        } else if (line.startsWith('a=mid:')) {
            mid = line.substring(6).trim();
        } else if (line.startsWith('a=msid:')) {
            msid = line.substring(7).trim().split(/\s+/);
        }
    }
    flush();
    return out;
}
