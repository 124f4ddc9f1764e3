// Sign-in at the company's IdP: OpenID Connect authorization code flow with PKCE (RFC 7636, S256), the page being a
// public client (it holds no secret; the code verifier, known only to this tab, is what makes a stolen code useless).
// The settings come from the server (GET /api/client-config), which read the IdP's discovery document.
//
// One sign-in is: signIn() remembers state, nonce and code verifier in sessionStorage (this tab only) and sends the
// browser to the IdP; the IdP sends it back to this page with ?code&state; completeSignIn() checks state against what
// this tab asked for (a callback this tab did not start — e.g. a link an attacker made with their own code — is
// refused), trades the code and verifier for tokens at the token endpoint (a cross-origin POST: the IdP must allow
// the page's origin), and checks the ID token's nonce. The caller cleans the URL.
const PENDING = 'switchboard.oidc.pending';
/** A sign-in not finished within this is stale: its state no longer admits a callback. */
const PENDING_MAX_AGE_MS = 10 * 60 * 1000;

export class SignInError extends Error {
}

export class Oidc {
    /** @param config the answer of /api/client-config in mode oidc */
    constructor(config) {
        this.config = config;
    }

    /** Where the IdP sends the browser back: this page, without query or fragment (what the IdP has registered). */
    static redirectUri() {
        return location.origin + location.pathname;
    }

    /** Is this page load the IdP's answer to a sign-in? */
    static isCallback(params) {
        return params.has('state') && (params.has('code') || params.has('error'));
    }

    /** Sends the browser to the IdP; {@code returnTo} (a path with query) is where the page goes once signed in. */
    async signIn(returnTo) {
        if (!window.isSecureContext || !crypto.subtle) {
            throw new SignInError('single sign-on needs a secure page (https, or http on localhost): '
                + 'the browser offers no crypto.subtle here for the PKCE code challenge');
        }
        const state = random(32);
        const nonce = random(32);
        const verifier = random(32); // 43 characters, the least RFC 7636 allows
        const challenge = base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
        sessionStorage.setItem(PENDING, JSON.stringify({
            state, nonce, verifier, returnTo, issuer: this.config.issuer, startedAt: Date.now(),
        }));
        const u = new URL(this.config.authorizationEndpoint);
        u.searchParams.set('response_type', 'code');
        u.searchParams.set('client_id', this.config.clientId);
        u.searchParams.set('redirect_uri', Oidc.redirectUri());
        u.searchParams.set('scope', this.config.scope);
        u.searchParams.set('state', state);
        u.searchParams.set('nonce', nonce);
        u.searchParams.set('code_challenge', challenge);
        u.searchParams.set('code_challenge_method', 'S256');
        location.assign(u.href);
    }

    /**
     * Finishes the sign-in this page load is the answer to. Whatever happens, the pending sign-in is used up: a
     * callback URL works once.
     *
     * @return {tokens, returnTo}
     */
    async completeSignIn(params) {
        const raw = sessionStorage.getItem(PENDING);
        sessionStorage.removeItem(PENDING);
        const pending = raw ? JSON.parse(raw) : null;
        const state = params.get('state');
        if (!pending || !state || state !== pending.state) {
            throw new SignInError('sign-in refused: this answer from the identity provider does not belong to a '
                + 'sign-in started in this tab (state mismatch). Sign in again.');
        }
        if (pending.issuer !== this.config.issuer || Date.now() - pending.startedAt > PENDING_MAX_AGE_MS) {
            throw new SignInError('sign-in refused: the sign-in took too long or the server changed its identity '
                + 'provider meanwhile. Sign in again.');
        }
        if (params.get('error')) {
            throw new SignInError('the identity provider did not sign you in: ' + params.get('error')
                + (params.get('error_description') ? ' (' + params.get('error_description') + ')' : ''));
        }
        const tokens = await this.tokenRequest({
            grant_type: 'authorization_code',
            code: params.get('code'),
            redirect_uri: Oidc.redirectUri(),
            client_id: this.config.clientId,
            code_verifier: pending.verifier,
        });
        if (tokens.idToken) {
            const claims = jwtPayload(tokens.idToken);
            if (!claims || claims.nonce !== pending.nonce) {
                throw new SignInError('sign-in refused: the ID token is not the answer to this tab\'s request (nonce)');
            }
        }
        return {tokens, returnTo: pending.returnTo};
    }

    /** New tokens for a refresh token (the IdP may rotate it: the new one replaces it when given). */
    async refresh(refreshToken) {
        const tokens = await this.tokenRequest({
            grant_type: 'refresh_token',
            refresh_token: refreshToken,
            client_id: this.config.clientId,
        });
        return {...tokens, refreshToken: tokens.refreshToken || refreshToken};
    }

    async tokenRequest(form) {
        let r;
        try {
            r = await fetch(this.config.tokenEndpoint, {
                method: 'POST',
                headers: {'Content-Type': 'application/x-www-form-urlencoded', 'Accept': 'application/json'},
                body: new URLSearchParams(form),
            });
        } catch (e) {
            // fetch says nothing more for a CORS refusal than for a network error
            throw new SignInError('the identity provider\'s token endpoint ' + this.config.tokenEndpoint
                + ' could not be reached from this page (down, or it does not allow this origin, '
                + location.origin + ', by CORS)');
        }
        const text = await r.text();
        let json = null;
        try {
            json = text ? JSON.parse(text) : null;
        } catch (e) {
            // reported below
        }
        if (!r.ok || !json || !json.access_token) {
            throw new SignInError('the identity provider refused the token request: '
                + (json && (json.error_description || json.error) || 'HTTP ' + r.status));
        }
        return {
            accessToken: json.access_token,
            refreshToken: json.refresh_token || null,
            idToken: json.id_token || null,
            expiresAt: json.expires_in ? Date.now() + Number(json.expires_in) * 1000 : null,
        };
    }

    /** Where sign-out ends the session at the IdP too (RP-initiated logout), or null when the IdP has no such page. */
    endSessionUrl(idToken) {
        if (!this.config.endSessionEndpoint) {
            return null;
        }
        const u = new URL(this.config.endSessionEndpoint);
        u.searchParams.set('client_id', this.config.clientId);
        u.searchParams.set('post_logout_redirect_uri', Oidc.redirectUri());
        if (idToken) {
            u.searchParams.set('id_token_hint', idToken);
        }
        return u.href;
    }
}

/** The claims of a JWT, unverified: only for what this tab itself asked for (nonce) or shows. */
export function jwtPayload(jwt) {
    try {
        const part = jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
        const bytes = Uint8Array.from(atob(part + '='.repeat((4 - part.length % 4) % 4)), c => c.charCodeAt(0));
        return JSON.parse(new TextDecoder().decode(bytes));
    } catch (e) {
        return null;
    }
}

function random(bytes) {
    return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

function base64url(buffer) {
    let s = '';
    for (const b of new Uint8Array(buffer)) {
        s += String.fromCharCode(b);
    }
    return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
