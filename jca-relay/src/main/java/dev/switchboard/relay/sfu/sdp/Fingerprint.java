package dev.switchboard.relay.sfu.sdp;

/** {@code a=fingerprint} (RFC 8122): a hash function name and the certificate's hash in colon-separated hex. */
public record Fingerprint(String hashFunction, String value) {

    static Fingerprint parse(Tokens t) throws SdpException {
        String hash = t.next("hash-func");
        String value = t.next("fingerprint");
        t.end();
        if (!Text.isToken(hash)) {
            throw t.fail("hash function is not a token");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(c == ':' || c >= '0' && c <= '9' || c >= 'A' && c <= 'F' || c >= 'a' && c <= 'f')) {
                throw t.fail("fingerprint is not colon-separated hex");
            }
        }
        return new Fingerprint(hash, value);
    }

    String sdpValue() {
        return hashFunction + ' ' + value;
    }
}
