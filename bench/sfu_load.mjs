// bench/sfu_load.mjs — the load client of bench/sfu-vs-janus (see that script's header for the method).
//
// One publisher replays pre-encoded VP8 + Opus RTP (RFC 4571-framed files made once by GStreamer) from memory, N
// subscribers each in its own werift RTCPeerConnection, spread over --procs child processes (werift is
// single-threaded). Every payload carries a 16-byte trailer: magic "SBLT", a packet index and the publisher's send
// time (CLOCK_MONOTONIC ns, the same clock in every process of the machine), so a subscriber computes the one-way
// delay publisher → server → subscriber. SFUs forward payloads untouched (they rewrite headers), so the trailer
// survives; nobody decodes the video, so it harms nothing. With N >= 2 one of the N, the probe, has a process of
// its own and joins last: its delay has no queue of sibling subscribers in it (a process decrypts its subscribers'
// packets one after another, so a keyframe's burst times 25 subscribers waits milliseconds in the client), and as
// the newest subscriber it is at the end of a server's fan-out: the server's forwarding latency, worst place. The
// probe's process and this one (the publisher: it stamps and sends) run at nice -15, so that on a machine the load's
// subscribers keep busy they are not what waits for a CPU; the server keeps its normal priority.
//
// Prints one JSON line (prefix "RESULT ") with the run's figures, and log lines on stderr. Every wait is bounded and
// the whole run has a hard deadline (--deadline seconds) after which it exits non-zero.
//
//   node sfu_load.mjs --modules DIR --server janus --url http://127.0.0.1:8088/janus --n 50 --procs 2 \
//        --media DIR --seconds 15 --server-pid PID [--deadline 240]
//   node sfu_load.mjs ... --server switchboard --url http://127.0.0.1:8080 [--api-key KEY] [--jvm-heap] ...  (WHIP/WHEP)
import { createRequire } from 'node:module';
import { execFile, fork } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';

const args = parseArgs(process.argv.slice(2));
const require = createRequire(join(args.modules ?? '.', 'package.json'));
const {
    RTCPeerConnection, RTCRtpCodecParameters, MediaStreamTrack, RtpPacket, RtpHeader,
} = require('werift');

const MAGIC = 0x53424c54; // "SBLT"
const HIGH = -15;   // nice of the publisher and the probe (see the header)
const TRAILER = 16;
// latency histogram: 10 µs buckets below 10 ms, 100 µs below 100 ms, 1 ms below 5 s, then one overflow bucket
const HIST_N = 1000 + 900 + 4900;
function bucket(us) {
    if (us < 10000) return Math.max(0, Math.floor(us / 10));
    if (us < 100000) return 1000 + Math.floor((us - 10000) / 100);
    if (us < 5e6) return 1900 + Math.floor((us - 100000) / 1000);
    return HIST_N;
}
function bucketMidMs(i) {
    if (i < 1000) return (i + 0.5) * 0.01;
    if (i < 1900) return 10 + (i - 1000 + 0.5) * 0.1;
    return 100 + (i - 1900 + 0.5);
}
const now = () => process.hrtime.bigint();
const log = (...a) => process.stderr.write(`[${args.child ? 'sub' + args.child : 'main'}] ${a.join(' ')}\n`);

function parseArgs(argv) {
    const out = {};
    for (let i = 0; i < argv.length; i++) {
        const k = argv[i].replace(/^--/, '');
        if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) out[k] = argv[++i]; else out[k] = true;
    }
    return out;
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function within(ms, what, p) {
    let t;
    try {
        return await Promise.race([p, new Promise((_, rej) => { t = setTimeout(() => rej(new Error(`${what}: no answer in ${ms} ms`)), ms); })]);
    } finally { clearTimeout(t); }
}

function peerConfig() {
    return {
        codecs: {
            video: [new RTCRtpCodecParameters({
                mimeType: 'video/VP8', clockRate: 90000, payloadType: 96,
                rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'ccm', parameter: 'fir' }],
            })],
            audio: [new RTCRtpCodecParameters({ mimeType: 'audio/opus', clockRate: 48000, channels: 2, payloadType: 111 })],
        },
        iceUseIpv6: false,
        iceServers: [],
        bundlePolicy: 'max-bundle',
        // werift 0.22 gathered nothing from the interface list inside the namespace (seen here): name the address
        iceAdditionalHostAddresses: [args.addr ?? '127.0.1.1'],
    };
}
const sdpLogged = new Set();
function logSdp(label, sdp) {   // --log-sdp: the first SDP of each kind this process sees, for reading a failed run
    if (!args['log-sdp'] || sdpLogged.has(label)) return;
    sdpLogged.add(label);
    log(`${label}:\n${sdp.trim()}`);
}
async function localSdp(pc, desc) {   // the SDP with every host candidate in it (neither side trickles here)
    await pc.setLocalDescription(desc);
    if (pc.iceGatheringState !== 'complete') {
        await within(10000, 'ICE gathering', new Promise((res) => {
            pc.iceGatheringStateChange.subscribe((s) => { if (s === 'complete') res(); });
            if (pc.iceGatheringState === 'complete') res();
        }));
    }
    return pc.localDescription.sdp;
}
async function waitConnected(pc, ms) {
    if (pc.connectionState === 'connected') return;
    await within(ms, 'connectionState connected', new Promise((res, rej) => {
        pc.connectionStateChange.subscribe((s) => {
            if (s === 'connected') res();
            if (s === 'failed' || s === 'closed') rej(new Error('connection ' + s));
        });
    }));
}

// ------------------------------------------------------------------------------------------------ server adapters
// An adapter negotiates; the media path is the same for every server. publish(pc) → {feed}; subscribe(pc, feed);
// close(). A server where the client offers (WHIP/WHEP) and one where it answers (Janus's subscriber offer) both fit.
class JanusAdapter {
    constructor(url) { this.url = url; this.waiters = new Map(); this.closed = false; this.tx = 0; }
    async post(path, body) {
        const transaction = `t${process.pid}-${++this.tx}`;
        const r = await fetch(this.url + path, {
            method: 'POST', body: JSON.stringify({ ...body, transaction }), signal: AbortSignal.timeout(15000),
        });
        const j = await r.json();
        if (j.janus === 'error') throw new Error(`janus error ${j.error?.code}: ${j.error?.reason}`);
        return { j, transaction };
    }
    async open() {
        const { j } = await this.post('', { janus: 'create' });
        this.session = j.data.id;
        this.poll();
        this.keepalive = setInterval(() => this.post(`/${this.session}`, { janus: 'keepalive' }).catch(() => {}), 20000);
    }
    async poll() {   // long-poll loop; ends when closed (each GET returns within ~30 s by itself, bounded at 45 s)
        while (!this.closed) {
            try {
                const r = await fetch(`${this.url}/${this.session}?maxev=50`, { signal: AbortSignal.timeout(45000) });
                let evs = await r.json();
                if (!Array.isArray(evs)) evs = [evs];
                for (const ev of evs) {
                    const w = ev.transaction && this.waiters.get(ev.transaction);
                    if (w && ev.janus === 'event') { this.waiters.delete(ev.transaction); w(ev); }
                }
            } catch (e) {
                if (!this.closed) { log('janus poll:', e.message); await sleep(500); }
            }
        }
    }
    async attach() {
        const { j } = await this.post(`/${this.session}`, { janus: 'attach', plugin: 'janus.plugin.videoroom' });
        return j.data.id;
    }
    async message(handle, body, jsep) {   // plugin request answered asynchronously: waits for its event (bounded)
        const transaction = `t${process.pid}-${++this.tx}`;
        const evp = within(20000, `janus ${body.request}`, new Promise((res) => this.waiters.set(transaction, res)));
        evp.catch(() => {});   // a synchronous answer leaves it unused: its timeout must not crash the process
        const r = await fetch(`${this.url}/${this.session}/${handle}`, {
            method: 'POST', signal: AbortSignal.timeout(15000),
            body: JSON.stringify({ janus: 'message', body, transaction, ...(jsep ? { jsep } : {}) }),
        });
        const ack = await r.json();
        if (ack.janus === 'error') { this.waiters.delete(transaction); throw new Error(`janus error: ${ack.error?.reason}`); }
        if (ack.janus === 'success') { this.waiters.delete(transaction); return ack; }   // synchronous request
        const ev = await evp;
        const pd = ev.plugindata?.data;
        if (pd?.error) throw new Error(`videoroom ${body.request}: ${pd.error_code} ${pd.error}`);
        return ev;
    }
    async publish(pc) {
        const handle = await this.attach();
        this.room = 1000 + Math.floor(Math.random() * 1e6);
        const cr = await this.message(handle, {
            request: 'create', room: this.room, publishers: 1, bitrate: 0, fir_freq: 0,
            videocodec: 'vp8', audiocodec: 'opus', notify_joining: false,
        });
        if (cr.plugindata?.data?.error) throw new Error('room create: ' + cr.plugindata.data.error);
        const joined = await this.message(handle, { request: 'join', ptype: 'publisher', room: this.room, display: 'bench' });
        const feed = joined.plugindata.data.id;
        const offer = await localSdp(pc, await pc.createOffer());
        const ev = await this.message(handle, { request: 'publish', audio: true, video: true }, { type: 'offer', sdp: offer });
        if (!ev.jsep) throw new Error('publish: no answer from Janus');
        logSdp('publisher offer', offer);
        logSdp('publisher answer (Janus)', ev.jsep.sdp);
        await pc.setRemoteDescription(ev.jsep);
        return { room: this.room, feed };
    }
    async subscribe(pc, { room, feed }) {
        const handle = await this.attach();
        const ev = await this.message(handle, { request: 'join', ptype: 'subscriber', room, streams: [{ feed }] });
        if (!ev.jsep) throw new Error('subscribe: no offer from Janus');
        await pc.setRemoteDescription(ev.jsep);
        const answer = await localSdp(pc, await pc.createAnswer());
        logSdp('subscriber offer (Janus)', ev.jsep.sdp);
        logSdp('subscriber answer', answer);
        await this.message(handle, { request: 'start' }, { type: 'answer', sdp: answer });
    }
    async close() {
        this.closed = true;
        clearInterval(this.keepalive);
        if (this.session) await this.post(`/${this.session}`, { janus: 'destroy' }).catch(() => {});
    }
}

class SwitchboardAdapter {   // WHIP publisher and WHEP viewers of an `sfu` room (docs/whip-whep.md); the client offers
    // --url is the server's HTTP base (http://HOST:PORT). Dev mode's caller header (the server runs with the
    // default switchboard.dev-mode=true); --api-key sends X-Api-Key instead, for a server with dev mode off.
    constructor(url) { this.url = url.replace(/\/+$/, ''); this.sessions = []; }
    headers(type) {
        const h = args['api-key'] ? { 'X-Api-Key': String(args['api-key']) } : { 'X-Switchboard-User': 'sfu-bench' };
        return type ? { ...h, 'Content-Type': type } : h;
    }
    async request(method, path, body, type, ms = 15000) {
        const r = await fetch(new URL(path, this.url + '/'), {
            method, body, headers: this.headers(type), signal: AbortSignal.timeout(ms),
        });
        const text = await r.text();
        return { status: r.status, text, location: r.headers.get('location') };
    }
    async open() {}
    async offerTo(pc, endpoint) {   // POST the offer (full gathering, no trickle) → 201 + answer + Location
        const offer = await localSdp(pc, await pc.createOffer());
        const r = await this.request('POST', `/api/rooms/${this.room}/${endpoint}`, offer, 'application/sdp');
        if (r.status !== 201) throw new Error(`${endpoint} POST: ${r.status} ${r.text.slice(0, 300)}`);
        if (!r.location) throw new Error(`${endpoint} POST: 201 without Location`);
        this.sessions.push(r.location);
        logSdp(`${endpoint} offer`, offer);
        logSdp(`${endpoint} answer (Switchboard)`, r.text);
        await pc.setRemoteDescription({ type: 'answer', sdp: r.text });
        return r.location;
    }
    async publish(pc) {
        const r = await this.request('POST', '/api/rooms', JSON.stringify({ name: 'sfu-bench', mode: 'sfu' }), 'application/json');
        if (r.status !== 201 && r.status !== 200) throw new Error(`room create: ${r.status} ${r.text.slice(0, 300)}`);
        this.room = JSON.parse(r.text).id;
        this.owner = true;
        const feed = await this.offerTo(pc, 'whip');
        return { room: this.room, feed };
    }
    async subscribe(pc, { room }) {   // one recvonly audio+video offer per viewer, in the publisher's order
        this.room = room;
        pc.addTransceiver('video', { direction: 'recvonly' });
        pc.addTransceiver('audio', { direction: 'recvonly' });
        await this.offerTo(pc, 'whep');
    }
    async close() {   // DELETE every session this process opened (bounded), then the room if this process made it
        const all = this.sessions.splice(0);
        for (let i = 0; i < all.length; i += 16) {
            await Promise.all(all.slice(i, i + 16).map((loc) => this.request('DELETE', loc, undefined, undefined, 5000).catch(() => {})));
        }
        if (this.owner) await this.request('DELETE', `/api/rooms/${this.room}`, undefined, undefined, 5000).catch(() => {});
    }
}
const ADAPTERS = { janus: JanusAdapter, switchboard: SwitchboardAdapter };
function adapter() {
    const A = ADAPTERS[args.server];
    if (!A) throw new Error(`unknown --server ${args.server} (known: ${Object.keys(ADAPTERS).join(', ')})`);
    return new A(args.url);
}

// ------------------------------------------------------------------------------------------------ media
function loadRtp(file, clock, pt) {   // RFC 4571 framing (GStreamer rtpstreampay): 2-byte length, then RTP
    const buf = readFileSync(file);
    const pkts = [];
    for (let o = 0; o + 2 <= buf.length;) {
        const len = buf.readUInt16BE(o);
        // the tail of a file written by rtpstreampay was seen garbled here: keep the clean prefix
        if (len < 12 || o + 2 + len > buf.length || (buf[o + 2] >> 6) !== 2 || (buf[o + 3] & 0x7f) !== pt) break;
        pkts.push(RtpPacket.deSerialize(buf.subarray(o + 2, o + 2 + len)));
        o += 2 + len;
    }
    if (pkts.length < 2) throw new Error(`${file}: no RTP packets`);
    const ts0 = pkts[0].header.timestamp;
    const rel = pkts.map((p) => ((p.header.timestamp - ts0) >>> 0));
    const step = rel.find((r) => r > 0) || clock / 50;
    const loopTicks = rel[rel.length - 1] + step;
    return {
        clock, loopTicks, loopNs: BigInt(Math.round(loopTicks / clock * 1e9)),
        items: pkts.map((p, i) => ({ at: BigInt(Math.round(rel[i] / clock * 1e9)), ticks: rel[i], marker: p.header.marker, payload: p.payload })),
    };
}

// Sends every packet when it is due, looping; stamps the trailer at send time. With paceBps > 0, as a browser's
// pacer does (libwebrtc's sends at 2.5× the target bitrate), a packet also waits until the ones before it have
// left at that rate: a keyframe's packets go out spread over tens of ms instead of all at once.
class Replayer {
    constructor(track, media, pt, paceBps = 0) {
        Object.assign(this, { track, media, pt, paceBps, idx: 0, loop: 0, seq: 1, sent: 0, stopped: false, free: 0n });
    }
    start(t0) { this.t0 = t0; }
    tick(t) {
        const m = this.media;
        for (let guard = 0; guard < 1000; guard++) {
            const it = m.items[this.idx];
            let due = this.t0 + BigInt(this.loop) * m.loopNs + it.at;
            if (this.paceBps > 0 && this.free > due) due = this.free;
            if (due > t) return;
            if (this.paceBps > 0) this.free = due + BigInt(Math.round(it.payload.length * 8 / this.paceBps * 1e9));
            const tr = Buffer.allocUnsafe(TRAILER);
            tr.writeUInt32BE(MAGIC, 0);
            tr.writeUInt32BE(this.sent >>> 0, 4);
            tr.writeBigUInt64BE(now(), 8);
            const header = new RtpHeader({
                payloadType: this.pt, sequenceNumber: this.seq, marker: it.marker,
                timestamp: (it.ticks + this.loop * m.loopTicks) >>> 0, ssrc: 1,
            });
            this.track.writeRtp(new RtpPacket(header, Buffer.concat([it.payload, tr])));
            this.seq = (this.seq + 1) & 0xffff;
            this.sent++;
            if (++this.idx === m.items.length) { this.idx = 0; this.loop++; }
        }
    }
}

// ------------------------------------------------------------------------------------------------ subscriber stats
const RING = 4096;   // packets a stream remembers: dedupe window and where its holes are told (~50 s of video)
class StreamStats {   // one SSRC at one subscriber: extended highest seq, unique packets (RING-packet dedupe window)
    constructor() { this.hi = -1; this.count = 0; this.seen = new Uint8Array(RING); this.index = new Int32Array(RING).fill(-1); }
    add(seq) {
        if (this.hi < 0) { this.hi = seq; this.count = 1; this.seen[seq & (RING - 1)] = 1; return; }
        let ext = (this.hi & ~0xffff) | seq;   // nearest extension of seq to the highest so far
        if (ext - this.hi > 0x8000) ext -= 0x10000; else if (this.hi - ext > 0x8000) ext += 0x10000;
        if (ext > this.hi) {
            for (let s = Math.max(this.hi + 1, ext - RING + 1); s < ext; s++) this.seen[s & (RING - 1)] = 0;
            this.hi = ext;
        } else if (this.hi - ext >= RING || this.seen[ext & (RING - 1)]) return;   // too old or duplicate
        else reordered++;   // behind the highest: late (reordered, or a retransmission)
        this.seen[ext & (RING - 1)] = 1;
        this.count++;
    }
    holes(after, max) {   // extended sequence numbers above `after` still missing (within the last RING)
        const out = [];
        for (let s = Math.max(after + 1, this.hi - RING + 1); s <= this.hi && out.length < max; s++) if (!this.seen[s & (RING - 1)]) out.push(s);
        return out;
    }
}
function logHoles() {   // where a subscriber's window lost packets: tells a server's gap from a stray drop
    for (const sub of subs) {
        for (const [ssrc, st] of sub.streams) {
            const h = st.holes(sub.markHi?.get(ssrc) ?? st.hi - RING, 8);
            // with the publisher's packet index (trailer) of the neighbours: which packet of the replay it was
            const around = (x) => `${st.index[(x - 1) & (RING - 1)]}..${st.index[(x + 1) & (RING - 1)]}`;
            if (h.length) log(`subscriber ${sub.i} ssrc ${ssrc}: missing ${h.map((x) => `${x & 0xffff} (between publisher packets ${around(x)})`).join(', ')} (highest ${st.hi & 0xffff})`);
        }
    }
}
const hist = new Float64Array(HIST_N + 1);
let reordered = 0;
let measuring = false;
const subs = [];
function onPacket(sub, rtp) {
    const ssrc = rtp.header.ssrc;
    let st = sub.streams.get(ssrc);
    if (!st) { st = new StreamStats(); sub.streams.set(ssrc, st); }
    st.add(rtp.header.sequenceNumber);
    sub.total++;
    const q = rtp.payload;
    if (q.length >= TRAILER && q.readUInt32BE(q.length - TRAILER) === MAGIC) st.index[(st.hi - ((st.hi - rtp.header.sequenceNumber) & 0xffff)) & (RING - 1)] = q.readUInt32BE(q.length - 12);
    if (!measuring) return;
    const p = rtp.payload;
    if (p.length >= TRAILER && p.readUInt32BE(p.length - TRAILER) === MAGIC) {
        const us = Number(now() - p.readBigUInt64BE(p.length - 8)) / 1000;
        hist[bucket(us)]++;
    } else sub.unmarked++;
}
function snapshot() {
    return subs.map((s) => ({ ok: s.ok, total: s.total, streams: [...s.streams].map(([k, v]) => [k, v.hi, v.count]) }));
}
async function subscribeOne(ad, feedInfo, i) {
    const pc = new RTCPeerConnection(peerConfig());
    const sub = { i, pc, ok: false, total: 0, unmarked: 0, streams: new Map() };
    subs.push(sub);
    pc.onTrack.subscribe((track) => track.onReceiveRtp.subscribe((rtp) => onPacket(sub, rtp)));
    try {
        await within(30000, 'subscribe', ad.subscribe(pc, feedInfo));
        await waitConnected(pc, 20000);
        sub.ok = true;
    } catch (e) {
        sub.error = e.message;
        log(`subscriber ${i}: ${e.message}`);
    }
}

// ------------------------------------------------------------------------------------------------ child process
async function childMain() {
    const ad = adapter();
    await ad.open();
    process.on('message', async (m) => {
        try {
            if (m.cmd === 'subscribe') {
                const queue = [...Array(m.count).keys()].map((k) => m.first + k);
                const worker = async () => { while (queue.length) await subscribeOne(ad, m.feedInfo, queue.shift()); };
                await Promise.all([...Array(Math.min(8, m.count))].map(worker));   // 8 negotiations in flight
                process.send({ cmd: 'subscribed', ok: subs.filter((s) => s.ok).length, errors: subs.filter((s) => s.error).map((s) => s.error).slice(0, 3) });
            } else if (m.cmd === 'mark') {
                hist.fill(0);
                measuring = true;
                for (const s of subs) s.markHi = new Map([...s.streams].map(([k, v]) => [k, v.hi]));
                process.send({ cmd: 'marked', snap: snapshot(), cpu: process.cpuUsage() });
            } else if (m.cmd === 'end') {
                measuring = false;
                logHoles();
                process.send({ cmd: 'ended', snap: snapshot(), cpu: process.cpuUsage(), hist: Array.from(hist), unmarked: subs.reduce((a, s) => a + s.unmarked, 0), reordered });
            } else if (m.cmd === 'firstpackets') {
                process.send({ cmd: 'firstpackets', with: subs.filter((s) => s.total > 0).length });
            } else if (m.cmd === 'exit') {
                await within(10000, 'close', Promise.all(subs.map((s) => s.pc.close().catch(() => {})))).catch(() => {});
                await ad.close();
                process.exit(0);
            }
        } catch (e) {
            process.send({ cmd: 'error', error: e.message });
        }
    });
    process.on('disconnect', () => process.exit(0));
    process.send({ cmd: 'ready' });
}

// ------------------------------------------------------------------------------------------------ main process
function procStat(pid) {   // utime+stime (clock ticks; 100/s on Linux), VmRSS (KiB)
    const st = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
    const rss = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return { ticks: Number(f[11]) + Number(f[12]), rssKb: rss ? Number(rss[1]) : null };
}
function runqWait(pid) {   // seconds the process's threads waited for a CPU (schedstat field 2): the busy machine's share
    let ns = 0;
    try {
        for (const t of readdirSync(`/proc/${pid}/task`)) {
            try { ns += Number(readFileSync(`/proc/${pid}/task/${t}/schedstat`, 'utf8').split(' ')[1]); } catch { /* thread ended */ }
        }
    } catch { return null; }
    return ns / 1e9;
}
function udpCounters() {   // this network namespace's UDP counters (server and client sockets alike live in it)
    const lines = readFileSync('/proc/net/snmp', 'utf8').split('\n').filter((l) => l.startsWith('Udp:'));
    const k = lines[0].split(/\s+/), v = lines[1].split(/\s+/).map(Number);
    return Object.fromEntries(k.map((name, i) => [name, v[i]]));
}
function udpDrops(serverPid) {   // per-socket drop counters of the namespace (/proc/net/udp), server's vs the rest
    const mine = new Set();
    try {
        for (const fd of readdirSync(`/proc/${serverPid}/fd`)) {
            try {
                const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${serverPid}/fd/${fd}`));
                if (m) mine.add(m[1]);
            } catch { /* closed meanwhile */ }
        }
    } catch { /* server gone */ }
    const out = { server: 0, client: 0 };
    for (const l of readFileSync('/proc/net/udp', 'utf8').split('\n').slice(1)) {
        const f = l.trim().split(/\s+/);
        if (f.length < 13) continue;
        out[mine.has(f[9]) ? 'server' : 'client'] += Number(f[12]);   // inode, drops
    }
    return out;
}
function jvmHeapKb(pid) {   // a JVM's live heap (KiB) after a full GC (`jcmd`), or null; async: the pump keeps going
    const run = (cmd) => new Promise((res, rej) => execFile('jcmd', [String(pid), cmd], { timeout: 30000 },
        (e, out) => (e ? rej(e) : res(String(out)))));
    return run('GC.run').then(() => run('GC.heap_info')).then((out) => {
        const m = /used (\d+)K/.exec(out);
        return m ? Number(m[1]) : null;
    }).catch((e) => { log('jcmd:', e.message); return null; });
}
// The server's forwarding delay histogram (--delay-metrics: Switchboard's /prometheus), cumulative counts by le
async function delayBuckets(url) {
    const text = await (await fetch(url)).text();
    const out = [];
    for (const m of text.matchAll(/^switchboard_sfu_forwarding_delay_total\{[^}]*le="([^"]+)"[^}]*\} (\S+)$/gm)) {
        out.push({ le: m[1] === '+Inf' ? Infinity : Number(m[1]), count: Number(m[2]) });
    }
    return out.sort((a, b) => a.le - b.le);
}
// q-quantile (ms) of the packets between two scrapes, linear within a bucket as histogram_quantile does
function delayQuantile(b0, b1, q) {
    const d = b1.map((b, i) => ({ le: b.le, count: b.count - (b0[i]?.count ?? 0) }));
    const total = d.length ? d[d.length - 1].count : 0;
    if (!total) return null;
    const rank = q * total;
    let lower = 0, below = 0;
    for (const b of d) {
        if (b.count >= rank) {
            if (b.le === Infinity) return +(lower * 1000).toFixed(3);
            return +((lower + (b.le - lower) * (rank - below) / Math.max(1, b.count - below)) * 1000).toFixed(3);
        }
        lower = b.le; below = b.count;
    }
    return null;
}

function percentile(h, q) {
    const total = h.reduce((a, b) => a + b, 0);
    if (!total) return null;
    let acc = 0;
    for (let i = 0; i < h.length; i++) {
        acc += h[i];
        if (acc >= q * total) return i === HIST_N ? null : +bucketMidMs(i).toFixed(3);   // ms, bucket middle
    }
    return null;
}

async function main() {
    setPriority(HIGH);   // the publisher (see the header); needs root, as the bench does
    const N = Number(args.n), P = Math.max(1, Math.min(Number(args.procs ?? 1), N)), SECS = Number(args.seconds ?? 15);
    const serverPid = Number(args['server-pid']);
    const TICK = Number(args['clk-tck'] ?? 100);
    const children = [];
    let ad;
    const result = { server: args.server, n: N, procs: P, seconds: SECS };
    const hard = setTimeout(() => { log(`hard deadline of ${args.deadline ?? 240} s reached`); finish(3); }, Number(args.deadline ?? 240) * 1000);
    let finishing = false;
    async function finish(code) {
        if (finishing) return;
        finishing = true;
        for (const c of children) { try { c.send({ cmd: 'exit' }); } catch { /* gone */ } }
        await sleep(1500);
        for (const c of children) { try { c.kill('SIGKILL'); } catch { /* gone */ } }
        if (ad) await within(5000, 'adapter close', ad.close()).catch(() => {});
        clearTimeout(hard);
        process.exit(code);
    }
    for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => finish(130));
    try {
        const video = loadRtp(join(args.media, 'video.rtp'), 90000, 96);
        const audio = loadRtp(join(args.media, 'audio.rtp'), 48000, 111);
        result.media = {
            video_pps: +(video.items.length / (video.loopTicks / 90000)).toFixed(1),
            audio_pps: +(audio.items.length / (audio.loopTicks / 48000)).toFixed(1),
            video_packets_per_loop: video.items.length,
            audio_packets_per_loop: audio.items.length,
            video_kbps: +(video.items.reduce((a, x) => a + x.payload.length, 0) * 8 / (video.loopTicks / 90000) / 1000).toFixed(0),
        };
        ad = adapter();
        await within(15000, 'open', ad.open());
        const pub = new RTCPeerConnection(peerConfig());
        const vt = new MediaStreamTrack({ kind: 'video' }), at = new MediaStreamTrack({ kind: 'audio' });
        const pubFeedback = { nacked: 0, plis: 0 };   // what the server asked of the publisher (werift answers NACKs)
        for (const tr of [pub.addTransceiver(vt, { direction: 'sendonly' }), pub.addTransceiver(at, { direction: 'sendonly' })]) {
            tr.sender.onGenericNack.subscribe((fb) => { pubFeedback.nacked += fb.lost.length; });
            tr.sender.onPictureLossIndication.subscribe(() => { pubFeedback.plis++; });
        }
        const feedInfo = await within(30000, 'publish', ad.publish(pub));
        await waitConnected(pub, 20000);
        log(`publisher connected, feed ${feedInfo.feed} in room ${feedInfo.room}`);
        // --pace F: video paced at F × its average bitrate (libwebrtc's pacing factor is 2.5); 0 = as due
        const paceBps = Number(args.pace ?? 0) * result.media.video_kbps * 1000;
        result.pace_factor = Number(args.pace ?? 0);
        const rv = new Replayer(vt, video, 96, paceBps), ra = new Replayer(at, audio, 111);
        const t0 = now() + 100_000_000n;
        rv.start(t0); ra.start(t0);
        // the pump's longest pause (ms) since reset: a stall of this process delays the publisher, then bursts
        const pumpGap = { last: now(), max: 0 };
        const pump = setInterval(() => {
            const t = now();
            pumpGap.max = Math.max(pumpGap.max, Number(t - pumpGap.last) / 1e6);
            pumpGap.last = t;
            rv.tick(t); ra.tick(t);
        }, 2);
        await sleep(2000);
        const before = procStat(serverPid);
        // --jvm-heap (a Java server): live heap after a full GC with the publisher alone and after the window; read
        // after the RSS figures and outside the window, so neither the GC nor jcmd is in what is measured
        const heapBefore = args['jvm-heap'] ? await jvmHeapKb(serverPid) : null;

        // subscribers, spread over the child processes
        const self = fileURLToPath(import.meta.url);
        const replies = new Map();
        const ask = (c, cmd, extra = {}, ms = 20000) => within(ms, `child ${cmd}`, new Promise((res, rej) => {
            replies.set(c, { res, rej });
            c.send({ cmd, ...extra });
        }));
        const PROBE = N >= 2 ? 1 : 0;   // one more process: the probe subscriber (see the header)
        for (let k = 0; k < P + PROBE; k++) {
            const c = fork(self, ['--child', String(k + 1), '--addr', args.addr ?? '127.0.1.1', '--modules', args.modules, '--server', args.server, '--url', args.url,
                ...(args['log-sdp'] ? ['--log-sdp'] : []),
                ...(args['api-key'] ? ['--api-key', String(args['api-key'])] : [])],
                { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
            children.push(c);
            if (k === P) setPriority(c.pid, HIGH);   // the probe
            c.on('message', (m) => {
                const r = replies.get(c);
                if (m.cmd === 'error') { if (r) { replies.delete(c); r.rej(new Error(m.error)); } return; }
                if (r) { replies.delete(c); r.res(m); }
            });
            c.on('exit', (code) => { if (!finishing) log(`child ${k + 1} exited (${code})`); });
        }
        await within(20000, 'children ready', Promise.all(children.map((c) => new Promise((res) => {
            const f = (m) => { if (m.cmd === 'ready') { c.off('message', f); res(); } };
            c.on('message', f);
        }))));
        const tj = Date.now();
        const M = N - PROBE;   // the load's subscribers
        const share = (k) => Math.floor(M / P) + (k < M % P ? 1 : 0);
        let first = 0;
        const subReplies = await Promise.all(children.slice(0, P).map((c, k) => {
            const f = first; first += share(k);
            return ask(c, 'subscribe', { count: share(k), first: f, feedInfo }, 60000 + 2000 * share(k));
        }));
        if (PROBE) subReplies.push(await ask(children[P], 'subscribe', { count: 1, first: M, feedInfo }, 62000));
        result.subscribed = subReplies.reduce((a, r) => a + r.ok, 0);
        result.join_s = +((Date.now() - tj) / 1000).toFixed(1);
        result.subscribe_errors = subReplies.flatMap((r) => r.errors).slice(0, 3);
        log(`${result.subscribed}/${N} subscribers connected in ${result.join_s} s`);
        for (let w = 0; w < 20; w++) {   // until every connected subscriber has had a packet (bounded: 10 s)
            const fp = await Promise.all(children.map((c) => ask(c, 'firstpackets')));
            result.receiving = fp.reduce((a, r) => a + r.with, 0);
            if (result.receiving >= result.subscribed) break;
            await sleep(500);
        }
        // settle: keyframe requests, NACK bursts of the join. The server's first /prometheus scrape compiles its
        // rendering (a burst of CPU next to the event loops), so it is made here, not at the window's start; and
        // the server keeps a scrape's relay snapshot for up to 1 s, so the window's scrapes come > 1 s after any
        // other and read counts of their moment
        if (args['delay-metrics']) await delayBuckets(args['delay-metrics']).catch(() => null);
        await sleep(3000);

        // the window
        const marks = await Promise.all(children.map((c) => ask(c, 'mark')));
        const delay0 = args['delay-metrics'] ? await delayBuckets(args['delay-metrics']).catch(() => null) : null;
        const s0 = procStat(serverPid), c0 = process.cpuUsage(), tw0 = now();
        const d0 = udpDrops(serverPid);
        const q0 = runqWait(serverPid), u0 = udpCounters(), cq0 = [process.pid, ...children.map((c) => c.pid)].map(runqWait);
        const sent0 = rv.sent + ra.sent, fb0 = { ...pubFeedback };
        result.mark_stall_ms = +(Number(now() - tw0) / 1e6).toFixed(1);   // this process's sync /proc reads
        result.window_start_s = +(Number(tw0 - t0) / 1e9).toFixed(2);      // since the replay began
        result.window_start_epoch_ms = Date.now();   // wall clock, to match the server's GC log against the window
        pumpGap.max = 0;
        await sleep(SECS * 1000);
        const s1 = procStat(serverPid), c1 = process.cpuUsage(), tw1 = now();
        const d1 = udpDrops(serverPid);
        const q1 = runqWait(serverPid), u1 = udpCounters(), cq1 = [process.pid, ...children.map((c) => c.pid)].map(runqWait);
        const sent1 = rv.sent + ra.sent;
        result.window_end_epoch_ms = Date.now();
        const ends = await Promise.all(children.map((c) => ask(c, 'end')));
        const delay1 = delay0 ? await delayBuckets(args['delay-metrics']).catch(() => null) : null;
        clearInterval(pump);
        const heapAfter = args['jvm-heap'] ? await jvmHeapKb(serverPid) : null;
        const win = Number(tw1 - tw0) / 1e9;

        // loss per subscriber from sequence numbers between the two snapshots
        const perSub = [];
        let forwarded = 0, expectedAll = 0, lostAll = 0;
        const h = new Float64Array(HIST_N + 1), hProbe = new Float64Array(HIST_N + 1);
        let childCpu = 0, childCpuMax = 0;
        ends.forEach((e, k) => {
            const m = marks[k];
            e.hist.forEach((v, i) => { h[i] += v; });
            if (PROBE && k === P) e.hist.forEach((v, i) => { hProbe[i] += v; });
            const cpu = (e.cpu.user + e.cpu.system - m.cpu.user - m.cpu.system) / 1e6;
            childCpu += cpu; childCpuMax = Math.max(childCpuMax, cpu / win);
            e.snap.forEach((sub, i) => {
                if (!sub.ok) return;
                const was = new Map((m.snap[i]?.streams ?? []).map(([ssrc, hi, cnt]) => [ssrc, { hi, cnt }]));
                let exp = 0, got = 0;
                for (const [ssrc, hi, cnt] of sub.streams) {
                    const w = was.get(ssrc) ?? { hi: hi - (cnt - 0), cnt: 0 };
                    exp += hi - w.hi; got += cnt - w.cnt;
                }
                if (exp === 0) exp = sent1 - sent0;   // nothing arrived in the window: it all was lost
                const lost = Math.max(0, exp - got);
                forwarded += got; expectedAll += exp; lostAll += lost;
                perSub.push(exp ? lost / exp * 100 : 100);
            });
        });
        perSub.sort((a, b) => a - b);
        const serverCpuS = (s1.ticks - s0.ticks) / TICK;
        const mainCpu = (c1.user + c1.system - c0.user - c0.system) / 1e6;
        Object.assign(result, {
            window_s: +win.toFixed(2),
            published_pps: +((sent1 - sent0) / win).toFixed(0),
            pump_max_gap_ms: +pumpGap.max.toFixed(1),
            publisher_nacked_in_window: pubFeedback.nacked - fb0.nacked,
            publisher_plis_in_window: pubFeedback.plis - fb0.plis,
            publisher_plis_total: pubFeedback.plis,
            publisher_nacked_total: pubFeedback.nacked,
            forwarded_packets: forwarded,
            forwarded_pps: +(forwarded / win).toFixed(0),
            server_cpu_s: +serverCpuS.toFixed(2),
            server_cores: +(serverCpuS / win).toFixed(2),
            server_cpu_us_per_pkt: forwarded ? +(serverCpuS * 1e6 / forwarded).toFixed(2) : null,
            loss_pct: expectedAll ? +(lostAll / expectedAll * 100).toFixed(3) : null,
            loss_pct_p50_sub: perSub.length ? +perSub[Math.floor(perSub.length / 2)].toFixed(3) : null,
            loss_pct_worst_sub: perSub.length ? +perSub[perSub.length - 1].toFixed(3) : null,
            subs_under_1pct: perSub.filter((x) => x < 1).length,
            latency_ms_p50: percentile(h, 0.5),
            latency_ms_p99: percentile(h, 0.99),
            latency_samples: h.reduce((a, b) => a + b, 0),
            latency_over_5s: h[HIST_N],
            ...(delay0 && delay1 ? {
                server_delay_ms_p50: delayQuantile(delay0, delay1, 0.5),
                server_delay_ms_p99: delayQuantile(delay0, delay1, 0.99),
                server_delay_packets: delay1[delay1.length - 1].count - delay0[delay0.length - 1].count,
                server_delay_share_under_5ms: (() => {
                    const i = delay1.findIndex((b) => b.le === 0.005);
                    const all = delay1[delay1.length - 1].count - delay0[delay0.length - 1].count;
                    return i < 0 || !all ? null : +((delay1[i].count - delay0[i].count) / all).toFixed(5);
                })(),
            } : {}),
            ...(PROBE ? {
                probe_latency_ms_p50: percentile(hProbe, 0.5),
                probe_latency_ms_p99: percentile(hProbe, 0.99),
                probe_latency_samples: hProbe.reduce((a, b) => a + b, 0),
            } : {}),
            unmarked_packets: ends.reduce((a, e) => a + e.unmarked, 0),
            late_packets_total: ends.reduce((a, e) => a + e.reordered, 0),   // whole run, not only the window
            server_rss_kb_before: before.rssKb,
            server_rss_kb_during: s1.rssKb,
            server_rss_kb_per_sub: result.subscribed ? +((s1.rssKb - before.rssKb) / result.subscribed).toFixed(1) : null,
            ...(args['jvm-heap'] ? {
                server_heap_kb_before: heapBefore,
                server_heap_kb_during: heapAfter,
                server_heap_kb_per_sub: result.subscribed && heapBefore != null && heapAfter != null
                    ? +((heapAfter - heapBefore) / result.subscribed).toFixed(1) : null,
            } : {}),
            server_runq_wait_share: q0 == null || q1 == null ? null : +((q1 - q0) / win).toFixed(2),
            client_runq_wait_share_max: +Math.max(...cq1.map((v, i) => (v - cq0[i]) / win)).toFixed(2),
            udp_rcvbuf_errors: u1.RcvbufErrors - u0.RcvbufErrors,
            udp_drops_server_sockets: d1.server - d0.server,
            udp_drops_client_sockets: d1.client - d0.client,
            // where the window's lost packets were dropped, as far as the kernel saw it (a sender-side or in-server
            // loss shows in neither counter)
            drops_at: (d1.client - d0.client) > (d1.server - d0.server) ? 'client sockets'
                : (d1.server - d0.server) > 0 ? 'server sockets' : 'none counted',
            udp_in_errors: u1.InErrors - u0.InErrors,
            udp_in_datagrams: u1.InDatagrams - u0.InDatagrams,
            client_cores_main: +(mainCpu / win).toFixed(2),
            client_cores_subscribers: +(childCpu / win).toFixed(2),
            client_cores_busiest_child: +childCpuMax.toFixed(2),
        });
        process.stdout.write('RESULT ' + JSON.stringify(result) + '\n');
        await finish(0);
    } catch (e) {
        log('failed:', e.stack || e.message);
        result.error = e.message;
        process.stdout.write('RESULT ' + JSON.stringify(result) + '\n');
        await finish(1);
    }
}

if (args.child) childMain().catch((e) => { log(e.message); process.exit(1); });
else main();
