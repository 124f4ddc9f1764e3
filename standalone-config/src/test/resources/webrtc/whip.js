// Installed into a page by SfuWhipWhepBrowserIT and SfuNetworkQualityIT (Selenium executeScript), never shipped in the product.
// A WHIP publisher or WHEP viewer in plain browser APIs, as a third-party client would be: offer, POST it as
// application/sdp, apply the answer. Errors name the step that failed. Every wait is bounded.
window.SbWhip = {

    // Waits for ICE gathering to complete, at most ms (the server is ICE-lite: candidates help, none are needed).
    gathered(pc, ms) {
        return new Promise(resolve => {
            if (pc.iceGatheringState === 'complete') {
                resolve();
                return;
            }
            pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve());
            setTimeout(resolve, ms);
        });
    },

    // POSTs the offer to url as user; resolves to {location, links}, having applied the answer.
    async exchange(pc, url, user, what) {
        await pc.setLocalDescription(await pc.createOffer());
        await this.gathered(pc, 5000);
        const res = await fetch(url, {
            method: 'POST',
            headers: {'Content-Type': 'application/sdp', 'X-Switchboard-User': user},
            body: pc.localDescription.sdp
        });
        const text = await res.text();
        if (res.status !== 201) {
            throw new Error(what + ' POST answered ' + res.status + ' ' + text);
        }
        try {
            await pc.setRemoteDescription({type: 'answer', sdp: text});
        } catch (e) {
            throw new Error(what + ' answer was not accepted by the browser: ' + e + '\n' + text);
        }
        return {location: res.headers.get('Location'), links: res.headers.get('Link')};
    },

    async publish(url, user) {
        const stream = await navigator.mediaDevices.getUserMedia({audio: true, video: {width: 320, height: 240}});
        const pc = new RTCPeerConnection({bundlePolicy: 'max-bundle'});
        for (const track of stream.getTracks()) {
            pc.addTransceiver(track, {direction: 'sendonly', streams: [stream]});
        }
        this.publisher = pc;
        return this.exchange(pc, url, user, 'WHIP');
    },

    // A simulcast publisher: the fake camera at 640x480 in three encodings, listed lowest first as the SFU expects
    // (q a quarter, h half, f full size), each with a bitrate cap; audio as publish() sends it.
    async publishSimulcast(url, user) {
        const stream = await navigator.mediaDevices.getUserMedia({audio: true, video: {width: 640, height: 480}});
        const pc = new RTCPeerConnection({bundlePolicy: 'max-bundle'});
        pc.addTransceiver(stream.getAudioTracks()[0], {direction: 'sendonly', streams: [stream]});
        pc.addTransceiver(stream.getVideoTracks()[0], {direction: 'sendonly', streams: [stream], sendEncodings: [
            {rid: 'q', scaleResolutionDownBy: 4, maxBitrate: 150000},
            {rid: 'h', scaleResolutionDownBy: 2, maxBitrate: 500000},
            {rid: 'f', scaleResolutionDownBy: 1, maxBitrate: 1500000}]});
        this.publisher = pc;
        return this.exchange(pc, url, user, 'WHIP');
    },

    // The publisher's video encodings by rid: size, frames encoded and sent bytes (what each layer is now).
    async layers(pc) {
        const report = await pc.getStats();
        const out = {};
        report.forEach(s => {
            if (s.type === 'outbound-rtp' && s.kind === 'video') {
                out[s.rid || 'none'] = {frameWidth: s.frameWidth || 0, frameHeight: s.frameHeight || 0,
                    framesEncoded: s.framesEncoded || 0, bytesSent: s.bytesSent || 0, active: s.active,
                    qualityLimitationReason: s.qualityLimitationReason || ''};
            }
        });
        return out;
    },

    // Every stats object as JSON, for the evidence a failing test leaves in target/.
    async dump(pc) {
        const report = await pc.getStats();
        const all = [];
        report.forEach(s => all.push(s));
        return JSON.stringify(all);
    },

    // Creates a room on the page's own server as user (the test may not reach that server's API otherwise).
    async createRoom(user, mode) {
        const res = await fetch('/api/rooms', {method: 'POST',
            headers: {'Content-Type': 'application/json', 'X-Switchboard-User': user},
            body: JSON.stringify({name: 'it room', maxParticipants: 4, mode: mode})});
        const text = await res.text();
        if (res.status !== 201) {
            throw new Error('room POST answered ' + res.status + ' ' + text);
        }
        return JSON.parse(text).id;
    },

    async view(url, user) {
        const pc = new RTCPeerConnection({bundlePolicy: 'max-bundle'});
        pc.addTransceiver('audio', {direction: 'recvonly'});
        pc.addTransceiver('video', {direction: 'recvonly'});
        // rendered, as a viewer's page would: Chromium counts freezes on frames it renders
        pc.ontrack = e => {
            if (e.track.kind === 'video') {
                const v = document.createElement('video');
                v.muted = true;
                v.autoplay = true;
                v.playsInline = true;
                v.srcObject = new MediaStream([e.track]);
                document.body.appendChild(v);
            }
        };
        this.viewer = pc;
        return this.exchange(pc, url, user, 'WHEP');
    },

    // What the tests look at: per kind the inbound-rtp counters, the selected candidate pair's state.
    async stats(pc) {
        const report = await pc.getStats();
        const out = {connectionState: pc.connectionState, iceConnectionState: pc.iceConnectionState, pair: null,
            audio: null, video: null, bytesReceived: 0};
        report.forEach(s => {
            if (s.type === 'inbound-rtp') {
                out[s.kind] = {framesDecoded: s.framesDecoded || 0, packetsReceived: s.packetsReceived || 0,
                    bytesReceived: s.bytesReceived || 0, packetsLost: s.packetsLost || 0, nackCount: s.nackCount || 0,
                    pliCount: s.pliCount || 0, framesDropped: s.framesDropped || 0, freezeCount: s.freezeCount || 0,
                    totalFreezesDuration: s.totalFreezesDuration || 0, frameWidth: s.frameWidth || 0,
                    frameHeight: s.frameHeight || 0,
                    retransmittedPacketsReceived: s.retransmittedPacketsReceived || 0};
                out.bytesReceived += s.bytesReceived || 0;
            }
            if (s.type === 'transport' && s.selectedCandidatePairId) {
                const p = report.get(s.selectedCandidatePairId);
                out.pair = p ? p.state : null;
            }
        });
        return out;
    },

    async remove(location, user) {
        const res = await fetch(location, {method: 'DELETE', headers: {'X-Switchboard-User': user}});
        return {status: res.status, body: await res.text()};
    }
};
