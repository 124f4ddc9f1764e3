// The REST API as the page uses it. Errors are problem+json; they become Errors with the server's detail and status.
// With single sign-on, an expired token is renewed before the call, and a 401 (token expired or revoked at the IdP)
// renews once and retries: `renew` is the page's (refresh token, else a new sign-in at the IdP).
export class Api {
    /**
     * @param session the Session whose headers every call carries
     * @param renew   async () => void that gets the session a new token, or throws; null in dev mode
     */
    constructor(session, renew = null, base = 'api') {
        this.session = session;
        this.renew = renew;
        this.base = base;
    }

    async call(method, path, body, retried = false) {
        if (this.renew && this.session.expired() && !retried) {
            await this.renew('the access token expired');
        }
        const headers = {...this.session.headers(), 'Accept': 'application/json'};
        if (body !== undefined) {
            headers['Content-Type'] = 'application/json';
        }
        const r = await fetch(this.base + path, {method, headers, body: body === undefined ? undefined : JSON.stringify(body)});
        const text = await r.text();
        let json = null;
        try {
            json = text ? JSON.parse(text) : null;
        } catch (e) {
            // a proxy's HTML error page: the status says enough
        }
        if (r.status === 401 && this.renew && !retried) {
            await this.renew('the server did not accept the access token: ' + (json && json.detail || 'HTTP 401'));
            return this.call(method, path, body, true);
        }
        if (!r.ok) {
            const e = new Error(json && (json.detail || json.title) || ('HTTP ' + r.status));
            e.status = r.status;
            throw e;
        }
        return json;
    }

    me() {
        return this.call('GET', '/me');
    }

    /** @param mode p2p (mesh) or sfu */
    createRoom(name, maxParticipants, mode = 'p2p') {
        return this.call('POST', '/rooms', {name, maxParticipants, mode});
    }

    room(id) {
        return this.call('GET', '/rooms/' + encodeURIComponent(id));
    }

    ticket(roomId) {
        return this.call('POST', '/rooms/' + encodeURIComponent(roomId) + '/tickets');
    }

    iceServers() {
        return this.call('GET', '/ice-servers');
    }
}

/** GET /api/client-config: how this server wants the page to sign in (no session needed). */
export async function clientConfig(base = 'api') {
    let r;
    try {
        r = await fetch(base + '/client-config', {headers: {'Accept': 'application/json'}, cache: 'no-store'});
    } catch (e) {
        throw new Error('the server cannot be reached: ' + e.message);
    }
    const json = await r.json().catch(() => null);
    if (!r.ok || !json) {
        throw new Error('sign-in is unavailable: ' + (json && (json.detail || json.title) || 'HTTP ' + r.status));
    }
    return json;
}
