package dev.switchboard.relay.stun;

import java.util.Arrays;

/**
 * The attribute types and methods a STUN endpoint knows: RFC 8489's own ({@link #RFC_8489}) plus whatever other
 * protocols register ({@link #with}, {@link #withMethod}); TURN and ICE keep their registrations in their own
 * packages. Immutable: registering makes a new registry, so one can be shared by every event loop. Looking a type
 * up is a binary search over a sorted array and allocates nothing.
 */
public final class StunRegistry {

    /** RFC 8489's attributes (§18.3) and its one method, Binding. */
    public static final StunRegistry RFC_8489 = new StunRegistry(new int[0], new AttributeType[0], new int[0],
            new String[0])
            .with(AttributeType.address(StunAttribute.MAPPED_ADDRESS, "MAPPED-ADDRESS"),
                    text(StunAttribute.USERNAME, "USERNAME"),
                    new AttributeType(StunAttribute.USERHASH, "USERHASH") {
                        @Override
                        public void check(StunMessage m, int i) throws StunException {
                            m.checkLength(i, 32);
                        }
                    },
                    // Checked while indexing (lengths, what may follow them): nothing left to check here.
                    AttributeType.opaque(StunAttribute.MESSAGE_INTEGRITY, "MESSAGE-INTEGRITY"),
                    AttributeType.opaque(StunAttribute.MESSAGE_INTEGRITY_SHA256, "MESSAGE-INTEGRITY-SHA256"),
                    AttributeType.opaque(StunAttribute.FINGERPRINT, "FINGERPRINT"),
                    new AttributeType(StunAttribute.ERROR_CODE, "ERROR-CODE") {
                        @Override
                        public void check(StunMessage m, int i) throws StunException {
                            m.checkErrorCodeAt(i);
                        }
                    },
                    text(StunAttribute.REALM, "REALM"),
                    text(StunAttribute.NONCE, "NONCE"),
                    new AttributeType(StunAttribute.PASSWORD_ALGORITHMS, "PASSWORD-ALGORITHMS") {
                        @Override
                        public void check(StunMessage m, int i) throws StunException {
                            m.checkAlgorithms(i, false);
                        }
                    },
                    new AttributeType(StunAttribute.PASSWORD_ALGORITHM, "PASSWORD-ALGORITHM") {
                        @Override
                        public void check(StunMessage m, int i) throws StunException {
                            m.checkAlgorithms(i, true);
                        }
                    },
                    new AttributeType(StunAttribute.UNKNOWN_ATTRIBUTES, "UNKNOWN-ATTRIBUTES") {
                        @Override
                        public void check(StunMessage m, int i) throws StunException {
                            m.checkLengthEven(i);
                        }
                    },
                    text(StunAttribute.SOFTWARE, "SOFTWARE"),
                    AttributeType.address(StunAttribute.ALTERNATE_SERVER, "ALTERNATE-SERVER"),
                    text(StunAttribute.ALTERNATE_DOMAIN, "ALTERNATE-DOMAIN"),
                    AttributeType.address(StunAttribute.XOR_MAPPED_ADDRESS, "XOR-MAPPED-ADDRESS"))
            .withMethod(StunMethod.BINDING, "Binding");

    // Sorted by type, and by method; parallel arrays.
    private final int[] types;
    private final AttributeType[] attributes;
    private final int[] methods;
    private final String[] methodNames;

    private StunRegistry(int[] types, AttributeType[] attributes, int[] methods, String[] methodNames) {
        this.types = types;
        this.attributes = attributes;
        this.methods = methods;
        this.methodNames = methodNames;
    }

    private static AttributeType text(int type, String name) {
        return new AttributeType(type, name) {
            @Override
            public void check(StunMessage m, int i) throws StunException {
                m.checkTextAt(i);
            }
        };
    }

    /**
     * A new registry that also knows these types; this one is unchanged.
     *
     * @throws IllegalArgumentException when a type is already registered (two protocols claiming one number)
     */
    public StunRegistry with(AttributeType... added) {
        int[] t = Arrays.copyOf(types, types.length + added.length);
        AttributeType[] a = Arrays.copyOf(attributes, attributes.length + added.length);
        int n = types.length;
        for (AttributeType type : added) {
            int at = Arrays.binarySearch(t, 0, n, type.type());
            if (at >= 0) {
                throw new IllegalArgumentException(type.name() + " (" + hex(type.type()) + ") is already registered as "
                        + a[at].name());
            }
            int insert = -at - 1;
            System.arraycopy(t, insert, t, insert + 1, n - insert);
            System.arraycopy(a, insert, a, insert + 1, n - insert);
            t[insert] = type.type();
            a[insert] = type;
            n++;
        }
        return new StunRegistry(t, a, methods, methodNames);
    }

    /**
     * A new registry that also names this method (12 bits).
     *
     * @throws IllegalArgumentException when the method is already registered or out of range
     */
    public StunRegistry withMethod(int method, String name) {
        if (method < 0 || method > StunMethod.MAX) {
            throw new IllegalArgumentException("method must be 0..0xfff: " + method);
        }
        int at = Arrays.binarySearch(methods, method);
        if (at >= 0) {
            throw new IllegalArgumentException(name + " is already registered as " + methodNames[at]);
        }
        int insert = -at - 1;
        int[] m = new int[methods.length + 1];
        String[] names = new String[methods.length + 1];
        System.arraycopy(methods, 0, m, 0, insert);
        System.arraycopy(methodNames, 0, names, 0, insert);
        m[insert] = method;
        names[insert] = name;
        System.arraycopy(methods, insert, m, insert + 1, methods.length - insert);
        System.arraycopy(methodNames, insert, names, insert + 1, methods.length - insert);
        return new StunRegistry(types, attributes, m, names);
    }

    /** The registered type with this number, or {@code null}. */
    public AttributeType attribute(int type) {
        int at = Arrays.binarySearch(types, type);
        return at < 0 ? null : attributes[at];
    }

    /** True when this type is registered. */
    public boolean knows(int type) {
        return Arrays.binarySearch(types, type) >= 0;
    }

    /** True when this method is registered. */
    public boolean knowsMethod(int method) {
        return Arrays.binarySearch(methods, method) >= 0;
    }

    /** Every registered type, e.g. as the comprehension-required attributes a handler understands; allocates. */
    public AttributeSet types() {
        return AttributeSet.of(types);
    }

    /** The registry name of a type, e.g. {@code XOR-MAPPED-ADDRESS}, or {@code 0x7f01} when not registered. */
    public String attributeName(int type) {
        AttributeType a = attribute(type);
        return a == null ? hex(type) : a.name();
    }

    /** The name of a method, e.g. {@code Binding}, or {@code 0x07f} when not registered. */
    public String methodName(int method) {
        int at = Arrays.binarySearch(methods, method);
        return at < 0 ? String.format("0x%03x", method) : methodNames[at];
    }

    /**
     * Checks the layout of every attribute of {@code message} whose type is registered, throwing
     * {@link ErrorCode#BAD_REQUEST} for the first bad one. Unregistered types pass: whether they matter is the
     * caller's business ({@link StunMessage#unknownComprehensionRequired}). Allocates nothing.
     */
    public void validate(StunMessage message) throws StunException {
        int count = message.attributeCount();
        for (int i = 0; i < count; i++) {
            AttributeType a = attribute(message.attributeType(i));
            if (a != null) {
                a.check(message, i);
            }
        }
    }

    /** The message with this registry's names, for logs; allocates. */
    public String describe(StunMessage message) {
        if (!message.hasHeader()) {
            return "StunMessage(none)";
        }
        StringBuilder sb = new StringBuilder("StunMessage(")
                .append(methodName(message.method())).append(' ').append(message.messageClass())
                .append(", ").append(message.size()).append(" bytes");
        for (int i = 0; i < message.attributeCount(); i++) {
            sb.append(i == 0 ? ": " : ", ").append(attributeName(message.attributeType(i))).append('/')
                    .append(message.attributeLength(i));
        }
        return sb.append(')').toString();
    }

    private static String hex(int type) {
        return String.format("0x%04x", type);
    }
}
