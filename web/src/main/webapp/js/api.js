// The REST API as the page uses it. Errors are problem+json; they become Errors with the server's detail.
export class Api {
    constructor(session, base = 'api') {
        this.session = session;
        this.base = base;
    }

    async call(method, path, body) {
        const headers = {...this.session.headers(), 'Accept': 'application/json'};
        if (body !== undefined) {
            headers['Content-Type'] = 'application/json';
        }
        const r = await fetch(this.base + path, {method, headers, body: body === undefined ? undefined : JSON.stringify(body)});
        const text = await r.text();
        const json = text ? JSON.parse(text) : null;
        if (!r.ok) {
            const e = new Error(json && (json.detail || json.title) || ('HTTP ' + r.status));
            e.status = r.status;
            throw e;
        }
        return json;
    }

    createRoom(name, maxParticipants) {
        return this.call('POST', '/rooms', {name, maxParticipants, mode: 'p2p'});
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
