package dev.switchboard.it;

import no.nav.security.mock.oauth2.MockOAuth2Server;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * SSO on the test server as an operator sets it up: a real OIDC provider (mock-oauth2-server) on a loopback port,
 * the provider URL as a system property, then the operator's own script standalone-config/src/main/cli/oidc.cli;
 * {@link #remove} takes it all away again so dev mode is back for the other tests.
 */
final class OidcCli {

    static final int IDP_PORT = Integer.getInteger("test.oidc.port", 18091);
    static final String ISSUER = "sso";

    private OidcCli() {
    }

    /** Starts {@code idp} on {@link #IDP_PORT}; returns its issuer URL (no trailing slash), the provider URL. */
    static String start(MockOAuth2Server idp) throws IOException {
        // an address whose host name is the literal: the issuer in tokens and in discovery must be the same string
        idp.start(InetAddress.getByAddress("127.0.0.1", new byte[] {127, 0, 0, 1}), IDP_PORT);
        return idp.issuerUrl(ISSUER).toString().replaceAll("/$", "");
    }

    /** Sets switchboard.oidc.provider-url and {@code properties}, then runs oidc.cli. */
    static void apply(String providerUrl, Map<String, String> properties) throws IOException, InterruptedException {
        List<String> add = new ArrayList<>();
        add.add(addProperty("switchboard.oidc.provider-url", providerUrl));
        new TreeMap<>(properties).forEach((name, value) -> add.add(addProperty(name, value)));
        for (String line : Files.readAllLines(Path.of("src/main/cli/oidc.cli"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                add.add(line);
            }
        }
        TestServer.cli(add.toArray(String[]::new));
    }

    /** Undoes {@link #apply} given the same {@code properties}. */
    static void remove(Map<String, String> properties) throws IOException, InterruptedException {
        List<String> remove = new ArrayList<>();
        remove.add("/subsystem=elytron-oidc-client/secure-deployment=switchboard-web.war:remove");
        remove.add("/system-property=switchboard.dev-mode:remove"); // oidc.cli's
        new TreeMap<>(properties).keySet().forEach(name -> remove.add("/system-property=" + name + ":remove"));
        remove.add("/system-property=switchboard.oidc.provider-url:remove");
        TestServer.cli(remove.toArray(String[]::new));
    }

    private static String addProperty(String name, String value) {
        return "/system-property=" + name + ":add(value=\"" + value + "\")";
    }
}
