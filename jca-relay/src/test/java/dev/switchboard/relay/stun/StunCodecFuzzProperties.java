package dev.switchboard.relay.stun;

import dev.switchboard.relay.ice.IceAttribute;
import dev.switchboard.relay.ice.IceRole;
import dev.switchboard.relay.ice.IceStun;
import dev.switchboard.relay.ice.Priority;
import dev.switchboard.relay.ice.RoleConflict;
import dev.switchboard.relay.ice.UseCandidate;
import dev.switchboard.relay.turn.stun.AddressErrorCode;
import dev.switchboard.relay.turn.stun.AddressFamily;
import dev.switchboard.relay.turn.stun.ChannelNumber;
import dev.switchboard.relay.turn.stun.ConnectionId;
import dev.switchboard.relay.turn.stun.EvenPort;
import dev.switchboard.relay.turn.stun.Lifetime;
import dev.switchboard.relay.turn.stun.RequestedTransport;
import dev.switchboard.relay.turn.stun.ReservationToken;
import dev.switchboard.relay.turn.stun.TurnAttribute;
import dev.switchboard.relay.turn.stun.TurnMethod;
import dev.switchboard.relay.turn.stun.TurnStun;


import dev.switchboard.relay.ByteMutations;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzes the decoder: whatever the bytes, decoding, every typed getter and the integrity and fingerprint checks
 * may only throw {@link StunException}. 110 000 generated inputs in all: random bytes, random bodies behind a valid
 * header (so the attribute parser is reached), and mutations of valid messages (flipped and overwritten bytes,
 * truncation, extension, insertion, deletion, corrupted attribute lengths and types), each also re-framed so the
 * header's length matches and the mutation reaches the attributes.
 */
class StunCodecFuzzProperties {

    /** Every type this relay knows: the TURN and ICE attribute classes are fuzzed along with the core's. */
    private static final StunRegistry ALL = TurnStun.register(IceStun.REGISTRY);

    private static final byte[] KEY = "fuzz-key".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    private static final int[] TYPES_TO_READ = {
            StunAttribute.MAPPED_ADDRESS, StunAttribute.ALTERNATE_SERVER, 0x802B /* RFC 5780 RESPONSE-ORIGIN */,
            0x802C /* OTHER-ADDRESS */, StunAttribute.XOR_MAPPED_ADDRESS, TurnAttribute.XOR_PEER_ADDRESS,
            TurnAttribute.XOR_RELAYED_ADDRESS};
    private static final int[] TEXT_TYPES = {
            StunAttribute.USERNAME, StunAttribute.REALM, StunAttribute.NONCE, StunAttribute.SOFTWARE,
            StunAttribute.ALTERNATE_DOMAIN};
    private static final int[] U32_TYPES = {
            TurnAttribute.LIFETIME, IceAttribute.PRIORITY, TurnAttribute.CONNECTION_ID, 0x0003 /* RFC 5780 CHANGE-REQUEST */};
    private static final int[] U64_TYPES = {
            IceAttribute.ICE_CONTROLLED, IceAttribute.ICE_CONTROLLING, TurnAttribute.RESERVATION_TOKEN};

    // One decoder for the whole run, as on an event loop: state left over from one input must not break the next.
    private final StunMessage message = new StunMessage();
    private final StunAddress address = new StunAddress();
    private final int[] scratch = new int[64];
    private final byte[] hash = new byte[32];
    private final byte[] copy = new byte[StunHeader.MAX_MESSAGE_LENGTH];
    private static final AttributeSet UNDERSTOOD = AttributeSet.of(StunAttribute.USERNAME);

    @Property(tries = 40_000)
    void randomBytesOnlyEverThrowStunException(@ForAll @Size(max = 600) byte[] bytes) {
        exercise(bytes);
    }

    @Property(tries = 20_000)
    void randomBodiesBehindAValidHeaderOnlyEverThrowStunException(
            @ForAll @IntRange(max = 0x3FFF) int type, @ForAll @Size(max = 580) byte[] body) {
        byte[] msg = new byte[20 + (body.length & ~3)];
        ByteBuffer.wrap(msg).putShort((short) type).putShort((short) (msg.length - 20))
                .putInt(StunHeader.MAGIC_COOKIE).put(body, 0, 12 < body.length ? 12 : body.length);
        System.arraycopy(body, 0, msg, 20, msg.length - 20);
        assertTrue(StunHeader.isStun(ByteBuffer.wrap(msg)));
        exercise(msg);
    }

    @Property(tries = 50_000)
    void mutatedValidMessagesOnlyEverThrowStunException(@ForAll("validMessages") byte[] valid,
                                                        @ForAll("mutations") List<Mutation> mutations) {
        byte[] mutated = valid;
        for (Mutation m : mutations) {
            mutated = m.apply(mutated);
        }
        exercise(mutated);
        exercise(reframe(mutated));
    }

    // ------------------------------------------------------------------ the checks

    private void exercise(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        boolean isStun = StunHeader.isStun(in);
        int frame = StunHeader.frameLength(in);
        assertEquals(0, in.position());
        assertTrue(frame == -1 || frame >= 20 && (frame & 3) == 0);
        boolean decoded;
        try {
            message.decode(in);
            decoded = true;
        } catch (StunException e) {
            decoded = false;
            assertTrue(e.errorCode() == StunException.NOT_STUN || e.errorCode() == ErrorCode.BAD_REQUEST);
            assertEquals(e.isNotStun(), !message.hasHeader());
            assertEquals(0, message.attributeCount());
        }
        assertEquals(0, in.position());
        assertEquals(isStun, message.hasHeader(), "isStun agrees with the decoder about the header");
        if (decoded) {
            assertEquals(bytes.length, frame);
            assertEquals(bytes.length, message.size());
        }
        if (message.hasHeader()) {
            message.method();
            message.messageClass();
            message.transactionId();
        }
        readEverything();
    }

    /** Calls every getter; each may fail only with StunException. */
    private void readEverything() {
        int count = message.attributeCount();
        for (int i = 0; i < count; i++) {
            int offset = message.attributeOffset(i);
            int length = message.attributeLength(i);
            assertTrue(offset >= 24 && offset + length <= message.size());
            message.attributeType(i);
            message.copyValue(i, copy, 0);
        }
        for (int type : TYPES_TO_READ) {
            quietly(() -> message.getAddress(type, address));
            quietly(() -> message.getXorAddress(type, address));
            quietly(() -> message.address(type));
            quietly(() -> message.xorAddress(type));
        }
        for (int type : TEXT_TYPES) {
            quietly(() -> message.getString(type));
        }
        for (int type : U32_TYPES) {
            quietly(() -> message.getUnsigned32(type));
        }
        for (int type : U64_TYPES) {
            quietly(() -> message.getUnsigned64(type));
        }
        quietly(message::getErrorCode);
        quietly(message::getErrorReason);
        quietly(() -> message.getUnknownAttributes(scratch));
        quietly(() -> ChannelNumber.get(message));
        quietly(() -> RequestedTransport.get(message));
        quietly(() -> AddressFamily.REQUESTED.get(message));
        quietly(() -> AddressFamily.ADDITIONAL.get(message));
        quietly(() -> EvenPort.get(message));
        quietly(message::getPasswordAlgorithm);
        quietly(() -> message.getUserHash(hash, 0));
        // the TURN and ICE attribute classes' readers
        quietly(() -> ConnectionId.get(message));
        quietly(() -> Lifetime.get(message));
        quietly(() -> ReservationToken.get(message));
        quietly(() -> AddressErrorCode.code(message));
        quietly(() -> AddressErrorCode.family(message));
        quietly(() -> Priority.get(message));
        quietly(() -> UseCandidate.isPresent(message));
        quietly(() -> IceRole.CONTROLLED.tieBreaker(message));
        quietly(() -> IceRole.CONTROLLING.tieBreaker(message));
        quietly(() -> RoleConflict.resolve(true, 1, message));
        quietly(() -> RoleConflict.resolve(false, -1, message));
        quietly(() -> message.validateKnownAttributes(StunRegistry.RFC_8489));
        quietly(() -> message.validateKnownAttributes(ALL));
        message.unknownComprehensionRequired(UNDERSTOOD, scratch);
        message.checkMessageIntegrity(KEY);
        message.checkMessageIntegritySha256(KEY);
        message.checkFingerprint();
        message.value(TurnAttribute.DATA);
        assertFalse(message.toString().isEmpty());
    }

    @FunctionalInterface
    private interface Read {
        Object run() throws StunException;
    }

    private static void quietly(Read read) {
        try {
            read.run();
        } catch (StunException expected) {
            assertEquals(ErrorCode.BAD_REQUEST, expected.errorCode());
        }
    }

    @FunctionalInterface
    private interface Check {
        void run() throws StunException;
    }

    private static void quietly(Check read) {
        quietly(() -> {
            read.run();
            return null;
        });
    }

    // ------------------------------------------------------------------ inputs

    /** Pads or cuts to a multiple of 4 and fixes the header's length field, so framing passes where it can. */
    private static byte[] reframe(byte[] b) {
        if (b.length < 20) {
            return b;
        }
        int length = Math.min((b.length - 20 + 3) & ~3, StunHeader.MAX_BODY_LENGTH);
        byte[] out = Arrays.copyOf(b, 20 + length);
        out[2] = (byte) (length >>> 8);
        out[3] = (byte) length;
        return out;
    }

    record Mutation(int kind, int position, int value) {

        byte[] apply(byte[] b) {
            switch (kind) {
                case 4: // corrupt an attribute's length field
                    return patchAttribute(b, 2, value);
                case 5: // corrupt an attribute's type
                    return patchAttribute(b, 0, value);
                case 6: // insert bytes
                    return ByteMutations.apply(4, position, value, b);
                case 7: // delete bytes
                    return ByteMutations.apply(5, position, value, b);
                case 8: // rewrite the header's length field
                    return ByteMutations.patch16(b, 2, value);
                default: // flip bits, overwrite a byte, truncate, extend
                    return ByteMutations.apply(kind, position, value, b);
            }
        }

        /** Overwrites 16 bits at {@code field} of the n-th attribute (walking the attribute headers as sent). */
        private byte[] patchAttribute(byte[] b, int field, int v) {
            List<Integer> starts = new ArrayList<>();
            for (int p = 20; p + 4 <= b.length; ) {
                starts.add(p);
                int len = (b[p + 2] & 0xFF) << 8 | (b[p + 3] & 0xFF);
                p += 4 + ((len + 3) & ~3);
            }
            if (starts.isEmpty()) {
                return b;
            }
            return ByteMutations.patch16(b, starts.get(Math.floorMod(position, starts.size())) + field, v);
        }
    }

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        Arbitrary<Mutation> one = Combinators.combine(
                Arbitraries.integers().between(0, 8),
                Arbitraries.integers(),
                Arbitraries.integers().between(0, 0xFFFF)
        ).as(Mutation::new);
        return one.list().ofMinSize(1).ofMaxSize(6);
    }

    @Provide
    Arbitrary<byte[]> validMessages() {
        Arbitrary<byte[]> vectors = Arbitraries.of(StunVectors.RFC5769_REQUEST, StunVectors.RFC5769_RESPONSE_IPV4,
                StunVectors.RFC5769_RESPONSE_IPV6, StunVectors.RFC5769_REQUEST_LONG_TERM,
                StunVectors.RFC8489_REQUEST_SHA256);
        Arbitrary<byte[]> built = Combinators.combine(
                Arbitraries.bytes().array(byte[].class).ofSize(12),
                Arbitraries.bytes().array(byte[].class).ofSize(16),
                Arbitraries.integers().between(0, 0xFFFF),
                Arbitraries.strings().ofMaxLength(40),
                Arbitraries.integers().between(0, 7)
        ).as(StunCodecFuzzProperties::build);
        return Arbitraries.oneOf(vectors, built);
    }

    /** A valid message with many kinds of attribute; {@code shape} varies method, class and which are present. */
    private static byte[] build(byte[] tid, byte[] ip, int port, String text, int shape) {
        try {
            InetAddress v6 = InetAddress.getByAddress(ip);
            InetAddress v4 = InetAddress.getByAddress(Arrays.copyOf(ip, 4));
            ByteBuffer out = ByteBuffer.allocate(4096);
            int method = (shape & 1) == 0 ? StunMethod.BINDING : TurnMethod.ALLOCATE;
            StunClass cls = StunClass.ofBits(shape >>> 1);
            StunEncoder e = new StunEncoder().begin(out, method, cls, tid);
            e.addText(StunAttribute.SOFTWARE, text)
                    .addXorAddress(StunAttribute.XOR_MAPPED_ADDRESS, new InetSocketAddress(v4, port))
                    .addXorAddress(TurnAttribute.XOR_PEER_ADDRESS, new InetSocketAddress(v6, port))
                    .addAddress(StunAttribute.MAPPED_ADDRESS, new InetSocketAddress(v6, port))
                    .addText(StunAttribute.USERNAME, text.isEmpty() ? "u" : text)
                    .addText(StunAttribute.REALM, "example.org")
                    .addText(StunAttribute.NONCE, "nonce-" + port);
            if (cls == StunClass.ERROR_RESPONSE) {
                e.addErrorCode(420).addUnknownAttributes(new int[]{0x7F01, port & 0x7FFF}, 2);
            }
            e.add(Lifetime.ATTRIBUTE, port).add(ChannelNumber.ATTRIBUTE, 0x4000 | (port & 0xFFF)).add(RequestedTransport.ATTRIBUTE, 17)
                    .add(EvenPort.ATTRIBUTE, port & 1).addEmpty(TurnAttribute.DONT_FRAGMENT)
                    .add(IceRole.CONTROLLING, port * 31L)
                    .add(Priority.ATTRIBUTE, 1 + port)
                    .addEmpty(IceAttribute.USE_CANDIDATE)
                    .add(ConnectionId.ATTRIBUTE, port)
                    .add(AddressFamily.REQUESTED, StunAddress.FAMILY_IPV4)
                    .addPasswordAlgorithm(StunKeys.PASSWORD_ALGORITHM_SHA256)
                    .add(TurnAttribute.DATA, ip, 0, port % 17)
                    .add(0x7F01 + (shape & 3), tid, 0, shape)
                    .addMessageIntegrity(KEY)
                    .addMessageIntegritySha256(KEY, 16 + 4 * (shape & 3))
                    .addFingerprint();
            e.finish();
            return Arrays.copyOfRange(out.array(), out.position(), out.limit());
        } catch (UnknownHostException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
