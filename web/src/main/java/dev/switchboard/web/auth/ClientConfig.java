package dev.switchboard.web.auth;

import java.util.function.Function;

/**
 * How the browser page signs in, as {@code GET /api/client-config} tells it: {@link #OIDC} (authorization code with
 * PKCE at the company's IdP, as a public client: the page holds no secret), {@link #DEV} (a name, trusted blindly)
 * or {@link #NONE} (neither is on: only API keys work, and the page says so). Null fields are left out of the JSON.
 *
 * @param mode                  {@code oidc}, {@code dev} or {@code none}
 * @param issuer                the IdP's issuer ({@code switchboard.oidc.provider-url} as discovery confirmed it)
 * @param clientId              the public client the page signs in as ({@code switchboard.oidc.public-client-id})
 * @param scope                 what the page asks for ({@code switchboard.oidc.scope})
 * @param authorizationEndpoint where the page sends the user
 * @param tokenEndpoint         where the page trades the code (cross-origin: the IdP must allow the page's origin)
 * @param endSessionEndpoint    where sign-out ends the IdP's session too; null when the IdP has none
 */
public record ClientConfig(String mode, String issuer, String clientId, String scope, String authorizationEndpoint,
                           String tokenEndpoint, String endSessionEndpoint) {

    public static final String OIDC = "oidc";
    public static final String DEV = "dev";
    public static final String NONE = "none";

    public static final String PROVIDER_URL = TokenClaims.PREFIX + "provider-url";
    public static final String CLIENT_ID = TokenClaims.PREFIX + "client-id";
    public static final String PUBLIC_CLIENT_ID = TokenClaims.PREFIX + "public-client-id";
    public static final String SCOPE = TokenClaims.PREFIX + "scope";
    public static final String DEFAULT_CLIENT_ID = "switchboard";
    public static final String DEFAULT_SCOPE = "openid profile";

    /**
     * @param properties system properties by name (null when unset)
     * @param devMode    whether the API trusts dev headers
     * @param discovery  the IdP's endpoints; asked only when SSO is configured
     */
    public static ClientConfig of(Function<String, String> properties, boolean devMode, OidcDiscovery discovery)
            throws OidcDiscovery.UnavailableException {
        String providerUrl = value(properties, PROVIDER_URL, null);
        if (providerUrl == null) {
            return new ClientConfig(devMode ? DEV : NONE, null, null, null, null, null, null);
        }
        // the page's client is often its own public client at the IdP; by default the one the API checks tokens for
        String clientId = value(properties, PUBLIC_CLIENT_ID, value(properties, CLIENT_ID, DEFAULT_CLIENT_ID));
        OidcDiscovery.Endpoints e = discovery.endpoints(providerUrl);
        return new ClientConfig(OIDC, e.issuer(), clientId, value(properties, SCOPE, DEFAULT_SCOPE), e.authorization(),
                e.token(), e.endSession());
    }

    private static String value(Function<String, String> properties, String name, String def) {
        String v = properties.apply(name);
        return v == null || v.isBlank() ? def : v.trim();
    }
}
