// The call page: sign in (single sign-on or dev mode, as the server says), create or join a room, and run a mesh
// call in it. window.switchboard exposes the state (and a socket drop) so the browser tests can read what the page
// shows.
import {Session} from './auth.js';
import {Api, clientConfig} from './api.js';
import {Oidc} from './oidc.js';
import {Signaling} from './signaling.js';
import {Mesh} from './mesh.js';

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
    $('relay-only').checked = params.get('relay') === '1';
    if (params.get('room')) {
        $('room-id').value = params.get('room');
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
        const room = await app.api.createRoom($('room-name').value.trim() || 'Call', Number($('room-max').value));
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
    if (room.mode !== 'p2p') {
        throw new Error('this page runs mesh calls: the room is ' + room.mode);
    }
    const iceServers = await app.api.iceServers();
    app.rtcConfig = {iceServers, iceTransportPolicy: $('relay-only').checked ? 'relay' : 'all'};
    if (!app.localStream) {
        app.localStream = await navigator.mediaDevices.getUserMedia({video: {width: 320, height: 240}, audio: true});
        $('local-video').srcObject = app.localStream;
    }
    const ticket = await app.api.ticket(room.id);
    app.signaling = new Signaling(ticket.signalingPath || '/signal');
    app.mesh = new Mesh(app.signaling, app.localStream, app.rtcConfig);
    app.mesh.addEventListener('change', renderPeers);
    app.mesh.addEventListener('stats', renderPeers);
    app.mesh.addEventListener('chat', renderChat);
    app.signaling.addEventListener('state', renderStatus);
    app.signaling.addEventListener('closed', e => onClosed(room, e.detail));
    app.room = room;
    history.replaceState(null, '', '?room=' + encodeURIComponent(room.id) + (app.rtcConfig.iceTransportPolicy === 'relay' ? '&relay=1' : ''));
    $('room-title').textContent = room.name;
    $('room-link').href = location.href;
    $('room-link').textContent = room.id;
    renderSession();
    await app.signaling.join(room.id, ticket.ticket);
    renderStatus();
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
    app.signaling = null;
    app.mesh = null;
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
    }
});

function renderStatus() {
    const s = app.signaling;
    $('status').textContent = s ? s.state + (s.participant ? ' as ' + s.participant : '')
        + (s.reconnects ? ' · reconnected ' + s.reconnects + '×' : '') : '';
}

function renderPeers() {
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

function renderChat() {
    const log = $('chat-log');
    log.replaceChildren(...app.mesh.chat.map(m => {
        const li = document.createElement('li');
        const who = document.createElement('b');
        who.textContent = m.user + ': ';
        li.append(who, document.createTextNode(m.text));
        return li;
    }));
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
            chat: app.mesh ? app.mesh.chat.map(m => ({user: m.user, text: m.text})) : [],
        };
    },
    /** Closes the signaling socket as a network loss would (no leave): the page must resume. */
    dropSocket() {
        app.signaling.drop();
    },
};

start();
