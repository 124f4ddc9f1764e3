// A full mesh of RTCPeerConnections for a p2p room: the newcomer offers to everyone already there (so two sides
// never offer to each other at once), the others answer. Each peer carries the local camera and microphone and a
// "chat" DataChannel. Work on one peer runs in order (remote description before its candidates).
export class Mesh extends EventTarget {
    constructor(signaling, localStream, rtcConfig) {
        super();
        this.signaling = signaling;
        this.localStream = localStream;
        this.rtcConfig = rtcConfig;
        this.peers = new Map();     // participant id -> peer
        this.users = new Map();     // participant id -> user name
        this.chat = [];             // {from, user, text}
        this.statsTimer = setInterval(() => this.pollStats(), 1000);
        signaling.addEventListener('message', e => this.onMessage(e.detail));
    }

    emit(type, detail) {
        this.dispatchEvent(new CustomEvent(type, {detail}));
    }

    onMessage(m) {
        switch (m.type) {
            case 'joined':
                // a fresh participant (first join, or a rejoin after a failed resume): offer to everyone there
                this.closeAll();
                for (const p of m.participants) {
                    this.users.set(p.id, p.user);
                    this.peer(p.id, true);
                }
                break;
            case 'participant-joined':
                this.users.set(m.participant.id, m.participant.user);
                this.emit('change');
                break;
            case 'participant-left':
                this.close(m.participant);
                break;
            case 'offer':
                this.run(this.peer(m.from, false), async p => {
                    await p.pc.setRemoteDescription({type: 'offer', sdp: m.sdp});
                    await p.pc.setLocalDescription(await p.pc.createAnswer());
                    this.signaling.send({type: 'answer', to: m.from, sdp: p.pc.localDescription.sdp});
                });
                break;
            case 'answer':
                if (this.peers.has(m.from)) {
                    this.run(this.peers.get(m.from), p => p.pc.setRemoteDescription({type: 'answer', sdp: m.sdp}));
                }
                break;
            case 'candidate':
                if (this.peers.has(m.from)) {
                    this.run(this.peers.get(m.from), p => m.candidate ? p.pc.addIceCandidate(m.candidate)
                        : p.pc.addIceCandidate());
                }
                break;
        }
    }

    /** The peer for participant {@code id}, created (and, as the initiator, offered to) if new. */
    peer(id, initiator) {
        let p = this.peers.get(id);
        if (p) {
            return p;
        }
        const pc = new RTCPeerConnection(this.rtcConfig);
        p = {id, pc, channel: null, stream: new MediaStream(), queue: Promise.resolve(), stats: {}, error: null,
            initiator, restartTimer: null};
        this.peers.set(id, p);
        this.localStream.getTracks().forEach(t => pc.addTrack(t, this.localStream));
        pc.onicecandidate = e => this.signaling.send({type: 'candidate', to: id,
            candidate: e.candidate ? e.candidate.toJSON() : null});
        pc.ontrack = e => {
            p.stream.addTrack(e.track);
            this.emit('change');
        };
        pc.onconnectionstatechange = () => this.emit('change');
        pc.oniceconnectionstatechange = () => this.watchIce(p);
        pc.ondatachannel = e => this.useChannel(p, e.channel);
        if (initiator) {
            this.useChannel(p, pc.createDataChannel('chat'));
            this.run(p, async () => {
                await pc.setLocalDescription(await pc.createOffer());
                this.signaling.send({type: 'offer', to: id, sdp: pc.localDescription.sdp});
            });
        }
        this.emit('change');
        return p;
    }

    /**
     * ICE restart when the path is lost (e.g. its TURN node died: the backup TURN server in rtcConfig is gathered
     * anew): at once on 'failed', after RESTART_AFTER_MS of 'disconnected' (which may heal by itself). Only the side
     * that offered first restarts, so the two never offer at once; the other answers the new offer as any other.
     */
    watchIce(p) {
        const state = p.pc.iceConnectionState;
        clearTimeout(p.restartTimer);
        p.restartTimer = null;
        if (!p.initiator || this.peers.get(p.id) !== p) {
            return;
        }
        if (state === 'failed') {
            this.restartIce(p);
        } else if (state === 'disconnected') {
            p.restartTimer = setTimeout(() => this.restartIce(p), Mesh.RESTART_AFTER_MS);
        }
    }

    restartIce(p) {
        this.run(p, async () => {
            if (this.peers.get(p.id) !== p || ['connected', 'completed'].includes(p.pc.iceConnectionState)) {
                return;
            }
            await p.pc.setLocalDescription(await p.pc.createOffer({iceRestart: true}));
            this.signaling.send({type: 'offer', to: p.id, sdp: p.pc.localDescription.sdp});
        });
    }

    useChannel(p, channel) {
        p.channel = channel;
        channel.onopen = () => this.emit('change');
        channel.onmessage = e => {
            let text;
            try {
                text = String(JSON.parse(e.data).text);
            } catch (err) {
                return; // not our chat message
            }
            this.chat.push({from: p.id, user: this.users.get(p.id) || p.id, text});
            this.emit('chat');
        };
    }

    run(p, step) {
        p.queue = p.queue.then(() => step(p)).catch(e => {
            p.error = String(e);
            console.warn('peer', p.id, e);
            this.emit('change');
        });
    }

    /** Sends {@code text} on every open chat channel; returns how many peers got it. */
    sendChat(text) {
        let n = 0;
        for (const p of this.peers.values()) {
            if (p.channel && p.channel.readyState === 'open') {
                p.channel.send(JSON.stringify({text}));
                n++;
            }
        }
        this.chat.push({from: this.signaling.participant, user: 'me', text});
        this.emit('chat');
        return n;
    }

    close(id) {
        const p = this.peers.get(id);
        if (p) {
            clearTimeout(p.restartTimer);
            p.pc.close();
            this.peers.delete(id);
        }
        this.users.delete(id);
        this.emit('change');
    }

    closeAll() {
        for (const id of [...this.peers.keys()]) {
            this.close(id);
        }
    }

    stop() {
        clearInterval(this.statsTimer);
        this.closeAll();
    }

    /** Per peer: the selected candidate pair (direct or relayed) and what arrives, from getStats. */
    async pollStats() {
        for (const p of this.peers.values()) {
            try {
                p.stats = summarize(await p.pc.getStats());
            } catch (e) {
                // the connection closed meanwhile
            }
        }
        this.emit('stats');
    }
}

export function summarize(report) {
    const s = {path: null, local: null, remote: null, framesDecoded: 0, audioPackets: 0, audioEnergy: 0,
        bytesReceived: 0};
    let pair = null;
    report.forEach(r => {
        if (r.type === 'transport' && r.selectedCandidatePairId) {
            pair = report.get(r.selectedCandidatePairId);
        }
    });
    if (!pair) {
        report.forEach(r => {
            if (r.type === 'candidate-pair' && r.nominated && r.state === 'succeeded') {
                pair = r;
            }
        });
    }
    if (pair) {
        const l = report.get(pair.localCandidateId);
        const r = report.get(pair.remoteCandidateId);
        const c = x => x && {type: x.candidateType, protocol: x.protocol, address: x.address || x.ip, port: x.port,
            relayProtocol: x.relayProtocol, url: x.url};
        s.local = c(l);
        s.remote = c(r);
        s.path = (l && l.candidateType === 'relay') || (r && r.candidateType === 'relay') ? 'relayed' : 'direct';
    }
    report.forEach(r => {
        if (r.type === 'inbound-rtp' && r.kind === 'video') {
            s.framesDecoded += r.framesDecoded || 0;
            s.bytesReceived += r.bytesReceived || 0;
        } else if (r.type === 'inbound-rtp' && r.kind === 'audio') {
            s.audioPackets += r.packetsReceived || 0;
            s.audioEnergy += r.totalAudioEnergy || 0;
            s.bytesReceived += r.bytesReceived || 0;
        }
    });
    return s;
}

/** How long ICE may stay 'disconnected' before the offering side restarts it (LiveKit and Jitsi wait ~2 s). */
Mesh.RESTART_AFTER_MS = 3000;
