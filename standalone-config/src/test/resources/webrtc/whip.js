// Installed into a page by SfuWhipWhepBrowserIT (Selenium executeScript), never shipped in the product.
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

    async view(url, user) {
        const pc = new RTCPeerConnection({bundlePolicy: 'max-bundle'});
        pc.addTransceiver('audio', {direction: 'recvonly'});
        pc.addTransceiver('video', {direction: 'recvonly'});
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
                    bytesReceived: s.bytesReceived || 0};
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
