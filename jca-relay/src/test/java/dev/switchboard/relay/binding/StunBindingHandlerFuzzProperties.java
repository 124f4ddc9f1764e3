package dev.switchboard.relay.binding;

import dev.switchboard.relay.ice.IceAttribute;
import dev.switchboard.relay.ice.Priority;
import dev.switchboard.relay.stun.StunAttribute;
import dev.switchboard.relay.stun.StunClass;
import dev.switchboard.relay.stun.StunException;
import dev.switchboard.relay.stun.StunHeader;
import dev.switchboard.relay.stun.StunMessage;
import dev.switchboard.relay.stun.StunMethod;
import dev.switchboard.relay.transport.Outcome;
import dev.switchboard.relay.transport.PacketHandler;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The handler on hostile input: it never throws, and it replies only to Binding requests (never to garbage,
 * indications, responses or other methods), always with a well-formed response carrying the request's
 * transaction id and a valid FINGERPRINT.
 */
class StunBindingHandlerFuzzProperties {

    private static final InetSocketAddress SOURCE = new InetSocketAddress("192.0.2.33", 40000);

    private final StunBindingHandler handler = new StunBindingHandler("fuzz");
    private final ByteBuffer scratch = ByteBuffer.allocate(PacketHandler.SCRATCH_SIZE);
    private final StunMessage reply = new StunMessage();

    @Property(tries = 10_000)
    void arbitraryBytesBehindAStunHeader(@ForAll @IntRange(max = 0x3FFF) int type,
                                         @ForAll @Size(min = 12, max = 300) byte[] body) {
        byte[] msg = new byte[20 + ((body.length - 12) & ~3)];
        // the first 12 body bytes are the transaction id, the rest (cut to a multiple of 4) the attributes
        ByteBuffer.wrap(msg).putShort((short) type).putShort((short) (msg.length - 20))
                .putInt(StunHeader.MAGIC_COOKIE).put(body, 0, 12);
        System.arraycopy(body, 12, msg, 20, msg.length - 20);
        check(msg);
    }

    @Property(tries = 10_000)
    void mutatedBindingRequests(@ForAll("requests") byte[] request, @ForAll @IntRange(max = 400) int at,
                                @ForAll byte value, @ForAll boolean fixLength) {
        byte[] msg = request.clone();
        msg[at % msg.length] ^= (byte) (value | 1);
        if (fixLength && msg.length >= 20) {
            msg[2] = (byte) ((msg.length - 20) >>> 8);
            msg[3] = (byte) (msg.length - 20);
        }
        check(msg);
    }

    @Provide
    Arbitrary<byte[]> requests() {
        return Arbitraries.of(
                StunBindingHandlerTest.bindingRequest(e -> { }),
                StunBindingHandlerTest.bindingRequest(e -> e.addText(StunAttribute.SOFTWARE, "client")
                        .addXorAddress(StunAttribute.XOR_MAPPED_ADDRESS, SOURCE).addFingerprint()),
                StunBindingHandlerTest.bindingRequest(e -> e.add(0x7F01, new byte[5])
                        .add(Priority.ATTRIBUTE, 7).addEmpty(IceAttribute.USE_CANDIDATE)
                        .addMessageIntegrity(new byte[]{1, 2, 3}).addFingerprint()),
                StunBindingHandlerTest.message(StunMethod.BINDING, StunClass.INDICATION, e -> e.addFingerprint()));
    }

    private void check(byte[] packet) {
        CapturingFlow flow = CapturingFlow.udp();
        scratch.clear();
        Outcome outcome = handler.handle(ByteBuffer.wrap(packet), SOURCE, flow, scratch);
        assertNotNull(outcome);
        if (flow.sent.isEmpty()) {
            return;
        }
        assertEquals(1, flow.sent.size());
        assertTrue(outcome != Outcome.DROPPED);
        // a reply means the packet had a Binding request header
        assertEquals(0x0001, (packet[0] & 0xFF) << 8 | (packet[1] & 0xFF));
        try {
            reply.decode(ByteBuffer.wrap(flow.only().bytes()));
        } catch (StunException e) {
            throw new AssertionError("our reply does not decode", e);
        }
        assertTrue(reply.isResponse());
        assertEquals(StunMethod.BINDING, reply.method());
        assertTrue(reply.hasTransactionId(packet, 8));
        assertTrue(reply.checkFingerprint());
        assertEquals(outcome == Outcome.MALFORMED, reply.messageClass() == StunClass.ERROR_RESPONSE
                && isBadRequest(), "400 goes with MALFORMED");
    }

    private boolean isBadRequest() {
        try {
            return reply.getErrorCode() == 400;
        } catch (StunException e) {
            throw new AssertionError(e);
        }
    }
}
