package dev.switchboard.relay.sfu.sdp;

/**
 * The H.264 profile a {@code profile-level-id} names (RFC 6184 §8.1): profile_idc and the constraint flags of
 * profile-iop together decide it, the level does not. Two offers match when their profiles are equal; the level
 * may differ (each side states the level it receives, level-asymmetry-allowed=1).
 *
 * <p>The constraint-flag rules: Baseline (66) with constraint_set1 is Constrained Baseline; Main (77) with
 * constraint_set0 is Constrained Baseline too (a stream both Baseline and Main decoders take); Extended (88) with
 * constraint_set0 and set1 is Constrained Baseline, with set0 only Baseline; High (100) with constraint_set4 and
 * set5 is Constrained High. So {@code 42e01f} and {@code 4d801f} are both Constrained Baseline, {@code 42001f} is
 * Baseline, {@code 640c1f} Constrained High.
 */
public enum H264Profile {
    CONSTRAINED_BASELINE, BASELINE, MAIN, EXTENDED, CONSTRAINED_HIGH, HIGH, OTHER;

    /** RFC 6184 §8.1: without profile-level-id, Baseline at level 1 is meant. */
    public static final String DEFAULT_PROFILE_LEVEL_ID = "42000a";

    /** The profile of a 6-hex-digit profile-level-id ({@code null} means the default), or null when malformed. */
    public static H264Profile of(String profileLevelId) {
        String id = profileLevelId == null ? DEFAULT_PROFILE_LEVEL_ID : profileLevelId;
        if (id.length() != 6) {
            return null;
        }
        int idc;
        int iop;
        try {
            idc = Integer.parseInt(id.substring(0, 2), 16);
            iop = Integer.parseInt(id.substring(2, 4), 16);
            Integer.parseInt(id.substring(4, 6), 16);
        } catch (NumberFormatException e) {
            return null;
        }
        boolean set0 = (iop & 0x80) != 0;
        boolean set1 = (iop & 0x40) != 0;
        switch (idc) {
            case 0x42:
                return set1 ? CONSTRAINED_BASELINE : BASELINE;
            case 0x4D:
                return set0 ? CONSTRAINED_BASELINE : MAIN;
            case 0x58:
                return set0 ? (set1 ? CONSTRAINED_BASELINE : BASELINE) : EXTENDED;
            case 0x64:
                return (iop & 0x0C) == 0x0C ? CONSTRAINED_HIGH : HIGH;
            default:
                return OTHER;
        }
    }
}
