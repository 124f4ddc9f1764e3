package dev.switchboard.relay.sfu.rtcp;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;

import static dev.switchboard.relay.sfu.rtp.RtpVectors.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SR, RR, SDES and BYE (RFC 3550 §6.4–§6.6): parsed from hand-assembled vectors, written, and read back. */
class ReportsTest {

    private final RtcpCompound compound = new RtcpCompound();

    @Test
    void readsASenderReportAndItsBlock() {
        assertEquals(RtcpProblem.NONE, compound.wrap(ByteBuffer.wrap(RtcpVectors.SR_SDES)));
        assertTrue(compound.next());
        ByteBuffer b = compound.buffer();
        int at = compound.offset();
        assertEquals(RtcpHeader.SR, compound.type());
        assertEquals(0x11111111, SenderReport.ssrc(b, at));
        assertEquals(0xE7A1B2C3_80000000L, SenderReport.ntpTimestamp(b, at));
        assertEquals(0xB2C38000, SenderReport.compactNtp(b, at));
        assertEquals(90_000, SenderReport.rtpTimestamp(b, at));
        assertEquals(1000, SenderReport.packetCount(b, at));
        assertEquals(123_456, SenderReport.octetCount(b, at));
        assertEquals(1, SenderReport.reportCount(b, at));
        ReportBlock block = new ReportBlock().readFrom(b, SenderReport.block(at, 0));
        assertEquals(0x22222222, block.ssrc);
        assertEquals(64, block.fractionLost);
        assertEquals(-2, block.cumulativeLost, "signed 24 bits");
        assertEquals(0x0001FFFF, block.highestSequence);
        assertEquals(32, block.jitter);
        assertEquals(0x12345678, block.lastSenderReport);
        assertEquals(65_536, block.delaySinceLastSenderReport);
    }

    @Test
    void readsTheCname() {
        compound.wrap(ByteBuffer.wrap(RtcpVectors.SR_SDES));
        compound.next();
        assertTrue(compound.next());
        ByteBuffer b = compound.buffer();
        int at = compound.offset();
        assertEquals(RtcpHeader.SDES, compound.type());
        assertEquals(1, Sdes.chunkCount(b, at));
        assertEquals(0x11111111, Sdes.chunkSsrc(b, at, compound.contentSize(), 0));
        int item = Sdes.findItem(b, at, compound.contentSize(), 0x11111111, Sdes.CNAME);
        assertEquals(16, Sdes.textLength(b, item));
        assertEquals('a', b.get(Sdes.textOffset(item)));
        assertTrue(Sdes.textEquals(b, item, "abcdefghijklmnop"));
        assertFalse(Sdes.textEquals(b, item, "abcdefghijklmnoq"));
        assertEquals(-1, Sdes.findItem(b, at, compound.contentSize(), 0x11111111, 2), "no NAME item");
        assertEquals(-1, Sdes.findItem(b, at, compound.contentSize(), 0x12345678, Sdes.CNAME), "no such chunk");
    }

    @Test
    void writesTheSameSenderReportAndSdesByteForByte() {
        ReportBlock block = new ReportBlock();
        block.ssrc = 0x22222222;
        block.fractionLost = 64;
        block.cumulativeLost = -2;
        block.highestSequence = 0x0001FFFF;
        block.jitter = 32;
        block.lastSenderReport = 0x12345678;
        block.delaySinceLastSenderReport = 65_536;
        ByteBuffer out = ByteBuffer.allocate(200);
        assertTrue(SenderReport.write(out, 0x11111111, 0xE7A1B2C3_80000000L, 90_000, 1000, 123_456,
                new ReportBlock[]{block}, 1));
        assertTrue(Sdes.write(out, 0x11111111, "abcdefghijklmnop"));
        out.flip();
        assertArrayEquals(RtcpVectors.SR_SDES, Arrays.copyOf(out.array(), out.limit()));
    }

    @Test
    void receiverReportsRoundTripWithSeveralBlocks() {
        ReportBlock[] blocks = new ReportBlock[3];
        for (int i = 0; i < blocks.length; i++) {
            blocks[i] = new ReportBlock();
            blocks[i].ssrc = 100 + i;
            blocks[i].fractionLost = 255 - i;
            blocks[i].cumulativeLost = i == 2 ? Integer.MAX_VALUE : -i; // the largest is clamped to 24 bits
            blocks[i].highestSequence = 0xFFFF0000 + i;
            blocks[i].jitter = i * 7;
            blocks[i].lastSenderReport = i << 16;
            blocks[i].delaySinceLastSenderReport = i * 1000;
        }
        ByteBuffer out = ByteBuffer.allocate(ReceiverReport.size(3));
        assertTrue(ReceiverReport.write(out, 42, blocks, 3));
        assertFalse(out.hasRemaining());
        out.flip();
        assertEquals(RtcpProblem.NONE, compound.wrap(out));
        assertTrue(compound.next());
        assertEquals(RtcpHeader.RR, compound.type());
        assertEquals(42, ReceiverReport.ssrc(out, compound.offset()));
        assertEquals(3, ReceiverReport.reportCount(out, compound.offset()));
        ReportBlock read = new ReportBlock();
        for (int i = 0; i < 3; i++) {
            read.readFrom(out, ReceiverReport.block(compound.offset(), i));
            assertEquals(blocks[i].ssrc, read.ssrc);
            assertEquals(blocks[i].fractionLost, read.fractionLost);
            assertEquals(i == 2 ? ReportBlock.MAX_CUMULATIVE_LOST : -i, read.cumulativeLost);
            assertEquals(blocks[i].highestSequence, read.highestSequence);
            assertEquals(blocks[i].jitter, read.jitter);
            assertEquals(blocks[i].lastSenderReport, read.lastSenderReport);
            assertEquals(blocks[i].delaySinceLastSenderReport, read.delaySinceLastSenderReport);
        }
        assertFalse(compound.next());
    }

    @Test
    void anEmptyReceiverReportIsEightBytes() {
        ByteBuffer out = ByteBuffer.allocate(8);
        assertTrue(ReceiverReport.write(out, 1, null, 0));
        assertArrayEquals(hex("80 C9 0001 00000001"), out.array());
    }

    @Test
    void writersRefuseABufferWithoutRoomAndWriteNothing() {
        ByteBuffer out = ByteBuffer.allocate(27);
        assertFalse(SenderReport.write(out, 1, 2, 3, 4, 5, new ReportBlock[0], 0));
        assertFalse(Sdes.write(out, 1, "a-cname-that-does-not-fit-here"));
        assertFalse(Bye.write(ByteBuffer.allocate(7), new int[]{1}, 1));
        assertEquals(0, out.position());
        assertTrue(Arrays.equals(new byte[27], out.array()));
    }

    @Test
    void byeWithSourcesAndAReason() {
        // RFC 3550 §6.6: SC=2, two SSRCs, reason length 3 "bye" -> 4 + 8 + 4 = 16 bytes, length 3
        ByteBuffer b = ByteBuffer.wrap(hex("82 CB 0003 | 0000000A | 0000000B | 03 627965"));
        assertEquals(RtcpProblem.NONE, compound.wrap(b));
        compound.next();
        assertEquals(2, Bye.ssrcCount(b, 0));
        assertEquals(0x0B, Bye.ssrc(b, 0, 1));
        assertEquals(3, Bye.reasonLength(b, 0, compound.contentSize()));
        assertEquals('b', b.get(Bye.reasonOffset(b, 0)));

        ByteBuffer out = ByteBuffer.allocate(16);
        assertTrue(Bye.write(out, new int[]{0x0A, 0x0B}, 2));
        out.flip();
        assertArrayEquals(hex("82 CB 0002 | 0000000A | 0000000B"), Arrays.copyOf(out.array(), out.limit()));
        compound.wrap(out);
        compound.next();
        assertEquals(0, Bye.reasonLength(out, 0, compound.contentSize()));
    }
}
