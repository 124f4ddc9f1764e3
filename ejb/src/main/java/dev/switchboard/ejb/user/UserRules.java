package dev.switchboard.ejb.user;

import dev.switchboard.ejb.input.FreeText;

import java.util.regex.Pattern;

/** What makes user input valid; kept apart from persistence so the rules are testable on their own. */
public final class UserRules {

    /** Usernames appear in TURN usernames and URLs: keep them to a safe, unambiguous alphabet. */
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._@-]{1,128}");

    private UserRules() {
    }

    /** @throws InvalidUserException naming the first field that is wrong */
    public static void check(String username, String displayName, String email) {
        if (username == null || !USERNAME.matcher(username).matches()) {
            throw new InvalidUserException("username must be 1-128 characters of A-Z a-z 0-9 . _ @ -");
        }
        FreeText.check("displayName", displayName, 256, InvalidUserException::new);
        FreeText.check("email", email, 320, InvalidUserException::new);
        if (email != null && (email.indexOf('@') <= 0 || email.endsWith("@"))) {
            throw new InvalidUserException("email is not an e-mail address");
        }
    }
}
