package dev.switchboard.ejb.user;

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
        if (displayName != null && displayName.length() > 256) {
            throw new InvalidUserException("displayName must be at most 256 characters");
        }
        if (email != null && (email.length() > 320 || email.indexOf('@') <= 0 || email.endsWith("@"))) {
            throw new InvalidUserException("email is not an e-mail address");
        }
    }
}
