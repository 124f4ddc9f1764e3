package dev.switchboard.relay.sfu.rtp;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Assembles RTP packets field by field (RFC 3550 §5.1, RFC 8285) for tests: an independent writer, so that what
 * {@link RtpPacket} reads is checked against what was meant rather than against itself.
 */
public final class RtpBuilder {

    public int payloadType = 96;
    public boolean marker;
    public int sequenceNumber;
    public int timestamp;
    public int ssrc;
    public int[] csrcs = new int[0];
    /** 0: no extension block; 1: one-byte form; 2: two-byte form (appbits 0). */
    public int form;
    public byte[] payload = new byte[0];
    /** 0 for none, else 1..255 padding bytes (the last holds the count). */
    public int padding;
    private final List<int[]> ids = new ArrayList<>();
    private final List<byte[]> values = new ArrayList<>();

    public RtpBuilder extension(int id, byte[] value) {
        ids.add(new int[]{id});
        values.add(value);
        return this;
    }

    public byte[] build() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x80 | (padding > 0 ? 0x20 : 0) | (form > 0 ? 0x10 : 0) | csrcs.length);
        out.write((marker ? 0x80 : 0) | payloadType);
        write16(out, sequenceNumber);
        write32(out, timestamp);
        write32(out, ssrc);
        for (int csrc : csrcs) {
            write32(out, csrc);
        }
        if (form > 0) {
            ByteArrayOutputStream elements = new ByteArrayOutputStream();
            for (int i = 0; i < ids.size(); i++) {
                byte[] v = values.get(i);
                if (form == 1) {
                    elements.write(ids.get(i)[0] << 4 | (v.length - 1));
                } else {
                    elements.write(ids.get(i)[0]);
                    elements.write(v.length);
                }
                elements.writeBytes(v);
            }
            while (elements.size() % 4 != 0) {
                elements.write(0);
            }
            write16(out, form == 1 ? RtpPacket.ONE_BYTE_PROFILE : RtpPacket.TWO_BYTE_PROFILE);
            write16(out, elements.size() / 4);
            out.writeBytes(elements.toByteArray());
        }
        out.writeBytes(payload);
        for (int i = 1; i < padding; i++) {
            out.write(0);
        }
        if (padding > 0) {
            out.write(padding);
        }
        return out.toByteArray();
    }

    private static void write16(ByteArrayOutputStream out, int v) {
        out.write(v >>> 8);
        out.write(v);
    }

    private static void write32(ByteArrayOutputStream out, int v) {
        write16(out, v >>> 16);
        write16(out, v);
    }
}
