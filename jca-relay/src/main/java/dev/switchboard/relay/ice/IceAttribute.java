package dev.switchboard.relay.ice;

/** The attribute types of ICE (RFC 8445 §16.1); see {@link IceStun#REGISTRY}. */
public final class IceAttribute {

    public static final int PRIORITY = 0x0024;
    public static final int USE_CANDIDATE = 0x0025;
    public static final int ICE_CONTROLLED = 0x8029;
    public static final int ICE_CONTROLLING = 0x802A;

    private IceAttribute() {
    }
}
