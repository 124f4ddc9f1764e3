/*
 * Prints SRTP and SRTCP packets protected by libsrtp, for LibsrtpInteropTest: the same master key and salt per
 * profile, an RTP packet with sequence numbers 65535 and then 0 (so the second is protected with ROC 1), and one
 * RTCP packet (SRTCP index 0). Run on this machine with Debian's libsrtp2 2.5.0:
 *   gcc -o /tmp/libsrtp-vectors libsrtp-vectors.c -lsrtp2 && /tmp/libsrtp-vectors
 */
#include <stdio.h>
#include <string.h>
#include <srtp2/srtp.h>

static void hex(const char *what, const unsigned char *b, int n) {
    printf("%s ", what);
    for (int i = 0; i < n; i++) printf("%02x", b[i]);
    printf("\n");
}

static int run(const char *name, void (*set)(srtp_crypto_policy_t *), void (*set_rtcp)(srtp_crypto_policy_t *),
               int salt_len) {
    unsigned char key[46];
    for (int i = 0; i < 16 + salt_len; i++) key[i] = (unsigned char) (0xA0 + 3 * i);
    srtp_policy_t policy;
    memset(&policy, 0, sizeof policy);
    set(&policy.rtp);
    set_rtcp(&policy.rtcp);
    policy.ssrc.type = ssrc_any_outbound;
    policy.key = key;
    policy.window_size = 128;
    srtp_t session;
    if (srtp_create(&session, &policy) != srtp_err_status_ok) {
        printf("%s unsupported\n", name);
        return 1;
    }
    printf("%s\n", name);
    int seqs[] = {65535, 0};
    for (int k = 0; k < 2; k++) {
        unsigned char p[200];
        memset(p, 0, sizeof p);
        p[0] = 0x80; p[1] = 96; p[2] = seqs[k] >> 8; p[3] = seqs[k] & 0xFF;
        p[4] = 0x00; p[5] = 0x01; p[6] = 0x02; p[7] = 0x03;        /* timestamp */
        p[8] = 0xCA; p[9] = 0xFE; p[10] = 0xBA; p[11] = 0xBE;      /* SSRC */
        for (int i = 12; i < 12 + 40; i++) p[i] = (unsigned char) i;
        int len = 12 + 40;
        if (srtp_protect(session, p, &len) != srtp_err_status_ok) return 1;
        hex(k == 0 ? "srtp-65535" : "srtp-0", p, len);
    }
    unsigned char r[200];
    memset(r, 0, sizeof r);
    r[0] = 0x81; r[1] = 201; r[2] = 0; r[3] = 7;
    r[4] = 0xCA; r[5] = 0xFE; r[6] = 0xBA; r[7] = 0xBE;
    for (int i = 8; i < 32; i++) r[i] = (unsigned char) i;
    int len = 32;
    if (srtp_protect_rtcp(session, r, &len) != srtp_err_status_ok) return 1;
    hex("srtcp-0", r, len);
    srtp_dealloc(session);
    return 0;
}

int main(void) {
    srtp_init();
    run("AES128_CM_HMAC_SHA1_80", srtp_crypto_policy_set_rtp_default, srtp_crypto_policy_set_rtp_default, 14);
    /* RFC 5764 §4.1.2: this profile keeps the 80-bit tag for SRTCP */
    run("AES128_CM_HMAC_SHA1_32", srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32, srtp_crypto_policy_set_rtp_default, 14);
    run("AEAD_AES_128_GCM", srtp_crypto_policy_set_aes_gcm_128_16_auth, srtp_crypto_policy_set_aes_gcm_128_16_auth, 12);
    return 0;
}
