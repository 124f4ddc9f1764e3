package dev.switchboard.relay.sfu.srtp;

/**
 * One SSRC's state in one direction: the rollover counter and highest sequence number that give each RTP packet
 * its 48-bit index (RFC 3711 §3.3.1), the replay windows of RTP and RTCP, and, when sending, the next SRTCP index.
 */
final class SrtpStream {

    static final long MAX_RTP_INDEX = (1L << 48) - 1;
    static final long MAX_RTCP_INDEX = 0x7FFF_FFFFL;

    int ssrc;
    private boolean started;
    private long roc;
    private int highestSeq;
    final ReplayWindow rtp = new ReplayWindow();
    final ReplayWindow rtcp = new ReplayWindow();
    long nextRtcpIndex;

    SrtpStream(int ssrc) {
        this.ssrc = ssrc;
    }

    /**
     * The index of the packet with sequence number {@code seq}: the candidate among ROC-1, ROC and ROC+1 closest to
     * the highest seen (RFC 3711 Appendix A). Negative for a packet from before the stream's first (ROC -1).
     */
    long estimateIndex(int seq) {
        if (!started) {
            return seq; // the first packet fixes the ROC at 0 (RFC 3711 §3.3.1)
        }
        long v = roc;
        if (highestSeq < 32768) {
            if (seq - highestSeq > 32768) {
                v = roc - 1;
            }
        } else if (highestSeq - 32768 > seq) {
            v = roc + 1;
        }
        return v < 0 ? -1 : v << 16 | seq;
    }

    /** Records an authenticated (or sent) RTP packet: its index in the window, and a new ROC/highest if it is ahead. */
    void acceptRtp(long index) {
        rtp.accept(index);
        long v = index >>> 16;
        int seq = (int) index & 0xFFFF;
        if (!started || v > roc || v == roc && seq > highestSeq) {
            started = true;
            roc = v;
            highestSeq = seq;
        }
    }

    long roc() {
        return roc;
    }
}
