// Installed into a page by the browser tests (Selenium executeScript), never shipped in the product.
// One SbPeer is one side of a call: a fake camera track each way and a DataChannel. Signaling is done by whoever
// holds the two peers: the page itself (two peers in one page) or the test (one peer per browser).
// Every wait is bounded by the deadline given to it.
window.SbPeer = class SbPeer {

    constructor(name, config) {
        this.name = name;
        this.pc = new RTCPeerConnection(config);
        this.candidates = [];          // gathered, not yet handed to the other side
        this.gathered = [];            // every candidate string gathered (for failure messages)
        this.received = [];            // DataChannel messages from the other side
        this.channel = null;
        this.pc.onicecandidate = e => {
            if (e.candidate && e.candidate.candidate) {
                this.candidates.push(e.candidate.toJSON());
                this.gathered.push(e.candidate.candidate);
            }
        };
        this.pc.ondatachannel = e => this.useChannel(e.channel);
        this.states = [];
        this.pc.oniceconnectionstatechange = () => this.states.push(this.pc.iceConnectionState);
    }

    useChannel(channel) {
        this.channel = channel;
        channel.onmessage = e => this.received.push(e.data);
    }

    async addCamera() {
        const stream = await navigator.mediaDevices.getUserMedia({video: {width: 320, height: 240}, audio: false});
        stream.getTracks().forEach(t => this.pc.addTrack(t, stream));
    }

    async offer() {
        await this.addCamera();
        this.useChannel(this.pc.createDataChannel('chat'));
        await this.pc.setLocalDescription(await this.pc.createOffer());
        return this.pc.localDescription.toJSON();
    }

    async answer(offer) {
        await this.addCamera();
        await this.pc.setRemoteDescription(offer);
        await this.pc.setLocalDescription(await this.pc.createAnswer());
        return this.pc.localDescription.toJSON();
    }

    async accept(answer) {
        await this.pc.setRemoteDescription(answer);
    }

    takeCandidates() {
        const c = this.candidates;
        this.candidates = [];
        return c;
    }

    async addCandidates(list) {
        for (const c of list) {
            await this.pc.addIceCandidate(c);
        }
    }

    async until(what, deadline, test) {
        while (!(await test())) {
            if (Date.now() > deadline) {
                throw new Error(this.name + ': timed out waiting for ' + what + '; ' + this.describe());
            }
            await new Promise(r => setTimeout(r, 100));
        }
    }

    describe() {
        return 'ice=' + this.pc.iceConnectionState + ' (' + this.states.join('>') + '), gathering='
            + this.pc.iceGatheringState + ', channel=' + (this.channel ? this.channel.readyState : 'none')
            + ', received=' + JSON.stringify(this.received) + ', gathered=' + JSON.stringify(this.gathered);
    }

    // Where ICE stands, for a test that trickles candidates until the call is up or has failed.
    status() {
        return {
            ice: this.pc.iceConnectionState, gathering: this.pc.iceGatheringState,
            open: !!this.channel && this.channel.readyState === 'open',
            everConnected: this.states.some(s => s === 'connected' || s === 'completed')
        };
    }

    connected() {
        return ['connected', 'completed'].includes(this.pc.iceConnectionState);
    }

    async open(deadline) {
        await this.until('ICE connected and the DataChannel open', deadline,
            () => this.connected() && this.channel && this.channel.readyState === 'open');
    }

    send(count) {
        for (let i = 1; i <= count; i++) {
            this.channel.send(this.name + ' ' + i);
        }
    }

    async receive(count, deadline) {
        await this.until(count + ' DataChannel messages', deadline, () => this.received.length >= count);
    }

    async framesDecoded() {
        let frames = 0;
        (await this.pc.getStats()).forEach(s => {
            if (s.type === 'inbound-rtp' && s.kind === 'video') {
                frames += s.framesDecoded || 0;
            }
        });
        return frames;
    }

    async decoding(deadline) {
        await this.until('a decoded video frame', deadline, async () => (await this.framesDecoded()) > 0);
    }

    // The selected candidate pair as the browser reports it: local and remote candidate, with relayProtocol.
    async selectedPair() {
        const stats = await this.pc.getStats();
        let pair = null;
        stats.forEach(s => {
            if (s.type === 'transport' && s.selectedCandidatePairId) {
                pair = stats.get(s.selectedCandidatePairId);
            }
        });
        if (!pair) {
            stats.forEach(s => {
                if (s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded') {
                    pair = s;
                }
            });
        }
        if (!pair) {
            return null;
        }
        const pick = c => c && {
            candidateType: c.candidateType, protocol: c.protocol, relayProtocol: c.relayProtocol || null,
            address: c.address || c.ip || null, port: c.port, url: c.url || null
        };
        return {
            state: pair.state, nominated: !!pair.nominated, bytesSent: pair.bytesSent, bytesReceived: pair.bytesReceived,
            local: pick(stats.get(pair.localCandidateId)), remote: pick(stats.get(pair.remoteCandidateId))
        };
    }

    // libwebrtc marks even the selected pair 'in-progress' while one of its keep-alive checks is unanswered (a
    // round trip through the relay, longer on a loaded machine): read it once a check is answered (at most 5 s).
    async answeredPair() {
        const until = Date.now() + 5000;
        let pair = await this.selectedPair();
        while (pair && pair.state === 'in-progress' && Date.now() < until) {
            await new Promise(r => setTimeout(r, 100));
            pair = await this.selectedPair();
        }
        return pair;
    }

    async report() {
        return {
            name: this.name, ice: this.pc.iceConnectionState, received: this.received,
            framesDecoded: await this.framesDecoded(), pair: await this.answeredPair(), gathered: this.gathered
        };
    }

    close() {
        this.pc.close();
    }
};

// Two peers in this page, signaled directly: offer/answer and candidates handed over in memory. They stay open, as
// window.sbA and window.sbB, for a test that goes on with the call (sbLoopbackCall closes them).
window.sbStartLoopbackCall = async function (config, messages, timeoutMs) {
    const deadline = Date.now() + timeoutMs;
    const a = window.sbA = new SbPeer('a', config), b = window.sbB = new SbPeer('b', config);
    a.pc.onicecandidate = e => e.candidate && e.candidate.candidate && (a.gathered.push(e.candidate.candidate),
        b.pc.addIceCandidate(e.candidate));
    b.pc.onicecandidate = e => e.candidate && e.candidate.candidate && (b.gathered.push(e.candidate.candidate),
        a.pc.addIceCandidate(e.candidate));
    await a.accept(await b.answer(await a.offer()));
    await a.open(deadline);
    await b.open(deadline);
    a.send(messages);
    b.send(messages);
    await a.receive(messages, deadline);
    await b.receive(messages, deadline);
    await a.decoding(deadline);
    await b.decoding(deadline);
    return {a: await a.report(), b: await b.report()};
};

// The same call, its peers closed once it is shown.
window.sbLoopbackCall = async function (config, messages, timeoutMs) {
    try {
        return await window.sbStartLoopbackCall(config, messages, timeoutMs);
    } finally {
        window.sbA && window.sbA.close();
        window.sbB && window.sbB.close();
        window.sbA = window.sbB = null;
    }
};
