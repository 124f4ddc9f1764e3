// The call page: sign in (single sign-on or dev mode, as the server says), create or join a room, and run the
// call in it: a mesh of peer connections in a p2p room, publish and subscribe through the server in an sfu room. window.switchboard exposes the state (and a socket drop) so the browser tests can read what the page
// shows.
import {Session} from './auth.js';
import {Api, clientConfig} from './api.js';
import {Oidc} from './oidc.js';
import {Signaling} from './signaling.js';
import {Mesh} from './mesh.js';
import {SfuCall} from './sfu.js';

const $ = id => document.getElementById(id);
let params = new URLSearchParams(location.search);
/**
 * A token the server refuses this soon after a sign-in is not fixed by signing in again (the IdP would hand out the
 * same kind of token): the page says so instead of bouncing between the IdP and itself.
 */
const FRESH_SIGN_IN_MS = 30 * 1000;

const app = {
    config: null,     // GET /api/client-config
    oidc: null,
    session: null,
    api: null,
    room: null,
    signaling: null,
    mesh: null,
    sfu: null,        // the call in an sfu room
    localStream: null,
    rtcConfig: null,
    error: null,
    renewals: 0,      // tokens renewed with the refresh token
};

function show(id, visible) {
    $(id).hidden = !visible;
}

function fail(e) {
    app.error = String(e && e.message || e);
    $('error').textContent = app.error;
    show('error', true);
}

function clearError() {
    app.error = null;
    show('error', false);
}

function renderSession() {
    const mode = app.config && app.config.mode;
    const signedIn = !!(app.session && app.session.user);
    show('loading', false);
    show('signin', !signedIn);
    show('signin-dev', !signedIn && mode === 'dev');
    show('signin-sso', !signedIn && mode === 'oidc');
    show('signin-none', !signedIn && mode === 'none');
    show('retry-config', !signedIn && !mode);
    show('signout', signedIn);
    show('lobby', signedIn && !app.room);
    show('call', signedIn && !!app.room);
    if (mode === 'oidc') {
        $('sso-issuer').textContent = app.config.issuer;
    }
    if (signedIn) {
        const s = app.session;
        app.api = new Api(s, s.mode === 'oidc' ? renew : null);
        $('whoami').textContent = s.user + (s.tenant ? ' @ ' + s.tenant : '')
            + (s.roles.length ? ' (' + s.roles.join(', ') + ')' : '') + (s.mode === 'oidc' ? ' · single sign-on' : '');
    } else {
        app.api = null;
        $('whoami').textContent = '';
    }
}

// ---- signing in

/** Reads how the server wants the page to sign in, finishes a sign-in this load answers, and shows the page. */
async function start() {
    clearError();
    try {
        app.config = await clientConfig();
    } catch (err) {
        renderSession();
        fail(err);
        return;
    }
    const restored = Session.restore();
    // a session of the other kind (the server was reconfigured) is worth nothing now
    app.session = restored && restored.mode === app.config.mode ? restored : null;
    if (!app.session) {
        Session.clear();
    }
    if (app.config.mode === 'oidc') {
        app.oidc = new Oidc(app.config);
        if (Oidc.isCallback(params)) {
            app.session = null; // the sign-in this load finishes replaces whatever this tab had
            await finishSignIn();
        }
    }
    $('relay-only').checked = params.get('relay') === '1' || params.get('relay') === 'tcp';
    $('relay-tcp').checked = params.get('relay') === 'tcp';
    if (params.get('room')) {
        $('room-id').value = params.get('room');
    }
    if (params.get('mode') === 'sfu' || params.get('mode') === 'p2p') {
        $('room-mode-select').value = params.get('mode');
    }
    renderSession();
}

/** The IdP sent the browser back: trade the code, learn from the server who that is, and clean the address. */
async function finishSignIn() {
    try {
        const {tokens, returnTo} = await app.oidc.completeSignIn(params);
        history.replaceState(null, '', sameOriginPath(returnTo));
        app.session = Session.bearer(tokens);
        const me = await new Api(app.session, renew).me();
        app.session.user = me.user;
        app.session.tenant = me.tenant;
        app.session.roles = me.roles;
        app.session.save();
    } catch (err) {
        history.replaceState(null, '', location.pathname); // the code and state must not stay in the address
        Session.clear();
        app.session = null;
        fail(err);
    }
    params = new URLSearchParams(location.search);
}

/** Where to go after signing in: a path of this page's, never another site. */
function sameOriginPath(returnTo) {
    return typeof returnTo === 'string' && returnTo.startsWith('/') && !returnTo.startsWith('//')
        ? returnTo : location.pathname;
}

async function signIn() {
    const returnTo = location.pathname + location.search; // before leave() drops the room from the address
    leave();
    await app.oidc.signIn(returnTo);
}

/**
 * The API refused or will refuse the access token (expired, revoked): a refresh token gets a new one without
 * leaving the page (a call goes on); without one, or when the IdP refuses it, the user signs in again at the IdP
 * (its own session usually makes that a quick round trip) and comes back to the same room link.
 */
async function renew(why) {
    const s = app.session;
    if (s.refreshToken) {
        try {
            s.renewed(await app.oidc.refresh(s.refreshToken));
            s.save();
            app.renewals++;
            return;
        } catch (err) {
            console.warn('refresh failed, signing in again', err);
        }
    }
    if (Date.now() - s.signedInAt < FRESH_SIGN_IN_MS) {
        throw new Error(why + '; you signed in just now, so signing in again would not help: is the server set up '
            + 'for this identity provider (switchboard.oidc.*)?');
    }
    await signIn();
    await new Promise(() => {}); // the page is on its way to the IdP
}

$('sso-button').addEventListener('click', () => {
    clearError();
    signIn().catch(fail);
});

$('retry-config').addEventListener('click', () => start());

$('signin-form').addEventListener('submit', e => {
    e.preventDefault();
    clearError();
    try {
        app.session = Session.devMode($('name').value.trim(), $('tenant').value.trim());
        app.session.save();
        renderSession();
    } catch (err) {
        fail(err);
    }
});

/** Sign-out forgets the tokens; with single sign-on it also ends the IdP's session when the IdP offers that. */
$('signout').addEventListener('click', () => {
    const s = app.session;
    leave();
    Session.clear();
    app.session = null;
    const end = s && s.mode === 'oidc' && app.oidc ? app.oidc.endSessionUrl(s.idToken) : null;
    if (end) {
        location.assign(end);
        return;
    }
    renderSession();
});

$('create-form').addEventListener('submit', async e => {
    e.preventDefault();
    clearError();
    try {
        const room = await app.api.createRoom($('room-name').value.trim() || 'Call', Number($('room-max').value),
            $('room-mode-select').value);
        await join(room.id);
    } catch (err) {
        fail(err);
    }
});

$('join-form').addEventListener('submit', async e => {
    e.preventDefault();
    clearError();
    try {
        await join($('room-id').value.trim());
    } catch (err) {
        fail(err);
    }
});

async function join(roomId) {
    if (!roomId) {
        throw new Error('a room id, please');
    }
    const room = await app.api.room(roomId);
    if (room.mode !== 'p2p' && room.mode !== 'sfu') {
        throw new Error('this page runs mesh (p2p) and sfu calls: the room is ' + room.mode);
    }
    const sfu = room.mode === 'sfu';
    let iceServers = await app.api.iceServers();
    const tcpOnly = $('relay-tcp').checked;
    if (tcpOnly) { // a network that lets only TCP (TLS on 443, say) out: TURN over TCP or TLS, nothing over UDP
        iceServers = iceServers.map(s => ({...s, urls: [].concat(s.urls)
            .filter(u => u.startsWith('turns:') || (u.startsWith('turn:') && u.includes('transport=tcp')))}))
            .filter(s => s.urls.length > 0);
    }
    app.rtcConfig = {iceServers, iceTransportPolicy: $('relay-only').checked || tcpOnly ? 'relay' : 'all'};
    if (!app.localStream) {
        // an sfu room sends three simulcast layers of the camera: the smallest is a quarter of this
        app.localStream = await navigator.mediaDevices.getUserMedia({audio: true,
            video: sfu ? {width: 640, height: 480, frameRate: 15} : {width: 320, height: 240}});
        $('local-video').srcObject = app.localStream;
        listDevices().catch(e => console.warn('devices', e));
    }
    const ticket = await app.api.ticket(room.id);
    app.signaling = new Signaling(ticket.signalingPath || '/signal');
    if (sfu) {
        app.sfu = new SfuCall(app.signaling, app.localStream, app.rtcConfig);
        app.sfu.addEventListener('change', renderPeers);
        app.sfu.addEventListener('stats', renderPeers);
        app.sfu.addEventListener('chat', renderChat);
    } else {
        app.mesh = new Mesh(app.signaling, app.localStream, app.rtcConfig);
        app.mesh.addEventListener('change', renderPeers);
        app.mesh.addEventListener('stats', renderPeers);
        app.mesh.addEventListener('chat', renderChat);
    }
    app.signaling.addEventListener('state', renderStatus);
    app.signaling.addEventListener('closed', e => onClosed(room, e.detail));
    app.room = room;
    history.replaceState(null, '', '?room=' + encodeURIComponent(room.id) + (tcpOnly ? '&relay=tcp'
        : app.rtcConfig.iceTransportPolicy === 'relay' ? '&relay=1' : ''));
    $('room-title').textContent = room.name;
    $('room-kind').textContent = sfu ? 'group call (SFU)' : 'mesh call';
    $('room-link').href = location.href;
    $('room-link').textContent = room.id;
    $('share').hidden = !sfu || !navigator.mediaDevices.getDisplayMedia;
    renderSession();
    await app.signaling.join(room.id, ticket.ticket);
    renderStatus();
}

/** Fills the camera and microphone choices (labels are known once the page may use the devices). */
async function listDevices() {
    const devices = await navigator.mediaDevices.enumerateDevices();
    for (const [kind, select] of [['videoinput', $('camera-select')], ['audioinput', $('mic-select')]]) {
        const current = app.localStream && app.localStream.getTracks()
            .find(t => t.kind === (kind === 'videoinput' ? 'video' : 'audio'));
        const using = current && current.getSettings().deviceId;
        select.replaceChildren(...devices.filter(d => d.kind === kind).map((d, i) => {
            const o = document.createElement('option');
            o.value = d.deviceId;
            o.textContent = d.label || (kind === 'videoinput' ? 'camera ' : 'microphone ') + (i + 1);
            o.selected = d.deviceId === using;
            return o;
        }));
    }
}

/** Another camera or microphone: its track replaces the old one in every connection that sends it. */
async function useDevice(kind, deviceId) {
    const old = app.localStream.getTracks().find(t => t.kind === kind);
    const constraints = kind === 'video'
        ? {video: {deviceId: {exact: deviceId}, width: 640, height: 480, frameRate: 15}}
        : {audio: {deviceId: {exact: deviceId}}};
    const track = (await navigator.mediaDevices.getUserMedia(constraints)).getTracks()[0];
    track.enabled = !(app.sfu ? app.sfu.muted[kind] : old && !old.enabled);
    if (app.sfu) {
        await app.sfu.replaceTrack(track);
    }
    if (app.mesh) {
        for (const p of app.mesh.peers.values()) {
            const sender = p.pc.getSenders().find(s => s.track && s.track.kind === kind);
            if (sender) {
                await sender.replaceTrack(track);
            }
        }
    }
    if (old) {
        app.localStream.removeTrack(old);
        old.stop();
    }
    app.localStream.addTrack(track);
    $('local-video').srcObject = app.localStream;
}

$('camera-select').addEventListener('change', e => useDevice('video', e.target.value).catch(fail));
$('mic-select').addEventListener('change', e => useDevice('audio', e.target.value).catch(fail));

/** Mute and camera off: the track stops sending (enabled = false), and in either room the others are told. */
function toggle(kind) {
    const track = app.localStream && app.localStream.getTracks().find(t => t.kind === kind);
    if (!track) {
        return;
    }
    const muted = track.enabled;
    if (app.sfu) {
        app.sfu.setMuted(kind, muted);
    } else {
        app.localStream.getTracks().filter(t => t.kind === kind).forEach(t => t.enabled = !muted);
        if (app.signaling) {
            app.signaling.send({type: 'mute', kind, muted});
        }
    }
    renderControls();
}

$('mic').addEventListener('click', () => toggle('audio'));
$('cam').addEventListener('click', () => toggle('video'));
$('share').addEventListener('click', () => {
    if (!app.sfu) {
        return;
    }
    (app.sfu.screen ? app.sfu.stopScreen() : app.sfu.shareScreen()).then(renderControls).catch(fail);
});

function renderControls() {
    const on = kind => {
        const t = app.localStream && app.localStream.getTracks().find(x => x.kind === kind);
        return !t || t.enabled;
    };
    $('mic').textContent = on('audio') ? 'Mute' : 'Unmute';
    $('mic').setAttribute('aria-pressed', String(!on('audio')));
    $('cam').textContent = on('video') ? 'Camera off' : 'Camera on';
    $('cam').setAttribute('aria-pressed', String(!on('video')));
    const sharing = !!(app.sfu && app.sfu.screen);
    $('share').textContent = sharing ? 'Stop sharing' : 'Share screen';
    $('share').setAttribute('aria-pressed', String(sharing));
    const badges = [];
    if (!on('audio')) {
        badges.push('muted');
    }
    if (!on('video')) {
        badges.push('camera off');
    }
    setBadges($('local-tile'), badges);
    setAvatar($('local-tile'), !on('video'), app.session && app.session.user);
    $('local-tile').classList.toggle('speaking', !!(app.sfu && app.sfu.speaker && app.sfu.speaker === app.signaling.participant));
}

function setBadges(tile, badges) {
    const el = tile.querySelector('.badges');
    const text = badges.join(',');
    if (el.dataset.text === text) {
        return;
    }
    el.dataset.text = text;
    el.replaceChildren(...badges.map(b => {
        const s = document.createElement('span');
        s.className = 'badge';
        s.textContent = b;
        return s;
    }));
}

function setAvatar(tile, show, name) {
    const a = tile.querySelector('.avatar');
    a.hidden = !show;
    tile.querySelector('video').style.visibility = show ? 'hidden' : '';
    if (show && !a.firstChild) {
        const s = document.createElement('span');
        s.textContent = (name || '?').substring(0, 1).toUpperCase();
        a.append(s);
    }
}

/** The socket is gone for good. A failed resume (grace over) rejoins as a new participant with a new ticket. */
async function onClosed(room, close) {
    renderStatus();
    if (close.code === 4433 && app.room === room) {
        try {
            const ticket = await app.api.ticket(room.id);
            app.signaling.state = 'connecting';
            await app.signaling.join(room.id, ticket.ticket);
        } catch (err) {
            fail(err);
        }
    } else if (app.room === room && close.code !== 1000) {
        fail('signaling closed: ' + close.code + ' ' + (close.reason || ''));
    }
}

function leave() {
    if (app.signaling) {
        app.signaling.leave();
    }
    if (app.mesh) {
        app.mesh.stop();
    }
    if (app.sfu) {
        app.sfu.stop();
    }
    app.signaling = null;
    app.mesh = null;
    app.sfu = null;
    app.room = null;
    $('peers').replaceChildren();
    $('chat-log').replaceChildren();
    history.replaceState(null, '', location.pathname);
}

$('leave').addEventListener('click', () => {
    leave();
    renderSession();
});

$('chat-form').addEventListener('submit', e => {
    e.preventDefault();
    const text = $('chat-text').value;
    if (text && app.mesh) {
        app.mesh.sendChat(text);
        $('chat-text').value = '';
    } else if (text.trim() && app.sfu) { // through the server, which sends it back to us with everyone's
        app.signaling.send({type: 'chat', text});
        $('chat-text').value = '';
    }
});

function renderStatus() {
    const s = app.signaling;
    $('status').textContent = s ? s.state + (s.participant ? ' as ' + s.participant : '')
        + (s.reconnects ? ' · reconnected ' + s.reconnects + '×' : '') : '';
}

function renderPeers() {
    if (app.sfu) {
        renderSfu();
        return;
    }
    if (!app.mesh) {
        return;
    }
    const list = $('peers');
    const seen = new Set();
    for (const p of app.mesh.peers.values()) {
        seen.add(p.id);
        let tile = list.querySelector(`[data-peer="${CSS.escape(p.id)}"]`);
        if (!tile) {
            tile = $('peer-template').content.firstElementChild.cloneNode(true);
            tile.dataset.peer = p.id;
            list.append(tile);
        }
        const video = tile.querySelector('video');
        if (video.srcObject !== p.stream) {
            video.srcObject = p.stream;
        }
        tile.querySelector('.user').textContent = app.mesh.users.get(p.id) || p.id;
        tile.querySelector('.state').textContent = p.pc.connectionState;
        tile.querySelector('.state').dataset.state = p.pc.connectionState;
        const path = p.stats.path;
        tile.querySelector('.path').textContent = path ? path + ' (' + p.stats.local.type + ' ↔ ' + p.stats.remote.type
            + (p.stats.local.relayProtocol ? ', TURN over ' + p.stats.local.relayProtocol : '') + ')' : '…';
        tile.querySelector('.path').dataset.path = path || '';
    }
    list.querySelectorAll('[data-peer]').forEach(t => {
        if (!seen.has(t.dataset.peer)) {
            t.remove();
        }
    });
    renderStatus();
}

/** The tiles of an sfu call: one per other participant (its camera, or its initial when none), one per screen. */
function renderSfu() {
    const call = app.sfu;
    const list = $('peers');
    const seen = new Set();
    const me = app.signaling && app.signaling.participant;
    const path = call.stats.path;
    const pathText = path ? path + ' (' + call.stats.local.type + ' ↔ ' + call.stats.remote.type
        + (call.stats.local.relayProtocol ? ', TURN over ' + call.stats.local.relayProtocol : '') + ')' : '…';
    const ids = new Set([...call.users.keys(), ...call.remotes.keys()]);
    ids.delete(me);
    for (const id of ids) {
        const r = call.remotes.get(id) || {stream: null, screen: null, muted: {audio: false, video: false}};
        const user = call.users.get(id) || id;
        const camera = r.stream && r.stream.getVideoTracks()[0];
        sfuTile(list, id, id, user, r.stream, camera, r.muted, pathText, path, id === call.speaker, seen);
        const screen = r.screen && r.screen.getVideoTracks()[0];
        if (screen) {
            sfuTile(list, id + '#screen', id, user + ' (screen)', r.screen, screen, {}, pathText, path, false, seen);
        }
    }
    list.querySelectorAll('[data-peer]').forEach(t => {
        if (!seen.has(t.dataset.peer)) {
            t.remove();
        }
    });
    renderControls();
    renderStatus();
}

function sfuTile(list, key, participant, user, stream, videoTrack, muted, pathText, path, speaking, seen) {
    seen.add(key);
    let tile = list.querySelector(`[data-peer="${CSS.escape(key)}"]`);
    if (!tile) {
        tile = $('peer-template').content.firstElementChild.cloneNode(true);
        tile.dataset.peer = key;
        tile.dataset.participant = participant;
        tile.classList.toggle('screen', key.endsWith('#screen'));
        tile.querySelector('video').muted = true; // sound plays from the tile's audio element
        if (!key.endsWith('#screen')) {
            const audio = document.createElement('audio');
            audio.autoplay = true;
            tile.append(audio);
        }
        list.append(tile);
    }
    const video = tile.querySelector('video');
    if (video.srcObject !== stream) {
        video.srcObject = stream;
    }
    const audio = tile.querySelector('audio');
    if (audio && audio.srcObject !== stream) {
        audio.srcObject = stream;
    }
    const call = app.sfu;
    const trackId = videoTrack ? videoTrack.id : '';
    if (videoTrack && video.dataset.track !== trackId) {
        video.dataset.track = trackId;
        const seenFrame = (now) => call.firstFrame(trackId, now);
        if (video.requestVideoFrameCallback) {
            video.requestVideoFrameCallback(seenFrame);
        } else {
            video.addEventListener('loadeddata', () => seenFrame(performance.now()), {once: true});
        }
    }
    if (videoTrack) {
        call.reportSize(trackId, video.clientHeight * (window.devicePixelRatio || 1));
    }
    const st = videoTrack && call.trackStats.get(trackId);
    tile.querySelector('.user').textContent = user;
    tile.querySelector('.state').textContent = call.sub ? call.sub.connectionState : 'new';
    tile.querySelector('.state').dataset.state = call.sub ? call.sub.connectionState : 'new';
    tile.querySelector('.res').textContent = st && st.height ? ' · ' + st.width + '×' + st.height
        + (st.fps ? ' ' + Math.round(st.fps) + ' fps' : '') : '';
    tile.querySelector('.path').textContent = pathText;
    tile.querySelector('.path').dataset.path = path || '';
    const badges = [];
    if (muted.audio) {
        badges.push('muted');
    }
    if (muted.video) {
        badges.push('camera off');
    }
    setBadges(tile, badges);
    setAvatar(tile, !videoTrack || !!muted.video, user);
    tile.classList.toggle('speaking', speaking);
}

function renderChat() {
    const log = $('chat-log');
    const lines = app.sfu ? app.sfu.chat : app.mesh.chat;
    log.replaceChildren(...lines.map(m => {
        const li = document.createElement('li');
        if (m.at) {
            const t = document.createElement('time');
            t.textContent = new Date(m.at).toLocaleTimeString([], {hour: '2-digit', minute: '2-digit'});
            li.append(t);
        }
        const who = document.createElement('b');
        who.textContent = (m.from === (app.signaling && app.signaling.participant) ? 'me' : m.user) + ': ';
        li.append(who, document.createTextNode(m.text));
        return li;
    }));
    log.scrollTop = log.scrollHeight;
}

/** What the page shows, as data (for tests and for the curious in the console). */
window.switchboard = {
    state() {
        const s = app.signaling;
        return {
            mode: app.config && app.config.mode,
            user: app.session && app.session.user,
            tenant: app.session && app.session.tenant,
            roles: app.session && app.session.roles,
            renewals: app.renewals,
            room: app.room && app.room.id,
            error: app.error,
            iceServers: app.rtcConfig && app.rtcConfig.iceServers,
            iceTransportPolicy: app.rtcConfig && app.rtcConfig.iceTransportPolicy,
            signaling: s && {state: s.state, participant: s.participant, reconnects: s.reconnects, lastClose: s.lastClose},
            peers: app.mesh ? [...app.mesh.peers.values()].map(p => ({
                id: p.id, user: app.mesh.users.get(p.id) || null, connectionState: p.pc.connectionState,
                channel: p.channel && p.channel.readyState, error: p.error, ...p.stats,
            })) : [],
            chat: app.mesh ? app.mesh.chat.map(m => ({user: m.user, text: m.text}))
                : app.sfu ? app.sfu.chat.map(m => ({user: m.user, text: m.text, from: m.from})) : [],
            sfu: app.sfu ? app.sfu.state() : null,
        };
    },
    /** Closes the signaling socket as a network loss would (no leave): the page must resume. */
    dropSocket() {
        app.signaling.drop();
    },
};

start();
