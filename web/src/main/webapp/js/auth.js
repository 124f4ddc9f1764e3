// Who the page calls the API as. Two ways in:
//  - dev mode (the embedded default, switchboard.dev-mode=true): a name and a tenant sent as X-Switchboard-* headers,
//    trusted blindly by the server;
//  - a bearer token: setBearerToken(accessToken) after an OIDC authorization-code (PKCE) flow. That flow is the hook
//    for SSO: whatever obtains the token (a redirect to the IdP and back to this page) hands it here, and every API
//    call then carries "Authorization: Bearer …" instead of the dev headers.
const KEY = 'switchboard.session';

export class Session {
    constructor(data) {
        this.user = data.user;
        this.tenant = data.tenant || '';
        this.token = data.token || null;
    }

    static devMode(user, tenant) {
        if (!/^[A-Za-z0-9._@-]{1,128}$/.test(user)) {
            throw new Error('a name is 1-128 characters of A-Z a-z 0-9 . _ @ -');
        }
        if (tenant && !/^[A-Za-z0-9._@-]{1,128}$/.test(tenant)) {
            throw new Error('a tenant is 1-128 characters of A-Z a-z 0-9 . _ @ -');
        }
        return new Session({user, tenant});
    }

    /** The SSO hook: an access token from the IdP replaces the dev headers. */
    static bearer(user, accessToken) {
        return new Session({user, token: accessToken});
    }

    headers() {
        if (this.token) {
            return {'Authorization': 'Bearer ' + this.token};
        }
        const h = {'X-Switchboard-User': this.user};
        if (this.tenant) {
            h['X-Switchboard-Tenant'] = this.tenant;
        }
        return h;
    }

    save() {
        sessionStorage.setItem(KEY, JSON.stringify({user: this.user, tenant: this.tenant, token: this.token}));
    }

    static restore() {
        const s = sessionStorage.getItem(KEY);
        return s ? new Session(JSON.parse(s)) : null;
    }

    static clear() {
        sessionStorage.removeItem(KEY);
    }
}
