// Who the page calls the API as, kept in sessionStorage (this tab only; gone when the tab closes). Two ways in,
// decided by the server (GET /api/client-config):
//  - dev mode (the embedded default, switchboard.dev-mode=true): a name and a tenant sent as X-Switchboard-* headers,
//    trusted blindly by the server;
//  - single sign-on (oidc.js): the access token from the IdP's authorization code flow, sent as
//    "Authorization: Bearer …"; who that is (name, tenant, roles) is what the server maps from it (GET /api/me).
const KEY = 'switchboard.session';
/** A token this close to its expiry counts as expired: renewing first beats a 401 in the middle of a join. */
const EXPIRY_MARGIN_MS = 10 * 1000;

export class Session {
    constructor(data) {
        this.mode = data.mode || (data.token ? 'oidc' : 'dev');
        this.user = data.user || null;
        this.tenant = data.tenant || '';
        this.roles = data.roles || [];
        this.token = data.token || null;
        this.refreshToken = data.refreshToken || null;
        this.idToken = data.idToken || null;
        this.expiresAt = data.expiresAt || null;
        this.signedInAt = data.signedInAt || Date.now();
    }

    static devMode(user, tenant) {
        if (!/^[A-Za-z0-9._@-]{1,128}$/.test(user)) {
            throw new Error('a name is 1-128 characters of A-Z a-z 0-9 . _ @ -');
        }
        if (tenant && !/^[A-Za-z0-9._@-]{1,128}$/.test(tenant)) {
            throw new Error('a tenant is 1-128 characters of A-Z a-z 0-9 . _ @ -');
        }
        return new Session({mode: 'dev', user, tenant});
    }

    /** Tokens from the IdP (oidc.js); the user is filled in from /api/me. */
    static bearer(tokens) {
        return new Session({mode: 'oidc', token: tokens.accessToken, refreshToken: tokens.refreshToken,
            idToken: tokens.idToken, expiresAt: tokens.expiresAt});
    }

    /** Renewed tokens: same person, new access token (and refresh token when the IdP rotates it). */
    renewed(tokens) {
        this.token = tokens.accessToken;
        this.refreshToken = tokens.refreshToken || this.refreshToken;
        this.idToken = tokens.idToken || this.idToken;
        this.expiresAt = tokens.expiresAt;
    }

    expired() {
        return this.mode === 'oidc' && this.expiresAt !== null && Date.now() > this.expiresAt - EXPIRY_MARGIN_MS;
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
        sessionStorage.setItem(KEY, JSON.stringify(this));
    }

    static restore() {
        const s = sessionStorage.getItem(KEY);
        try {
            return s ? new Session(JSON.parse(s)) : null;
        } catch (e) {
            return null;
        }
    }

    static clear() {
        sessionStorage.removeItem(KEY);
    }
}
