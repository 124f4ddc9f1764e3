package dev.switchboard.relay.turn.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** The long-term key computed independently of the code under test. */
final class Md5 {

    private Md5() {
    }

    static byte[] key(String username, String realm, String password) {
        try {
            return MessageDigest.getInstance("MD5")
                    .digest((username + ":" + realm + ":" + password).getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
