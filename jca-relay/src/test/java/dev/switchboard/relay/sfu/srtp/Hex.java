package dev.switchboard.relay.sfu.srtp;

/** Hex strings as the RFCs print them (spaces and line breaks ignored) to bytes and back. */
final class Hex {

    private Hex() {
    }

    static byte[] bytes(String hex) {
        String s = hex.replaceAll("\\s", "");
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }

    static String of(byte[] b, int off, int len) {
        StringBuilder s = new StringBuilder();
        for (int i = off; i < off + len; i++) {
            s.append(String.format("%02x", b[i]));
        }
        return s.toString();
    }

    static String of(byte[] b) {
        return of(b, 0, b.length);
    }
}
