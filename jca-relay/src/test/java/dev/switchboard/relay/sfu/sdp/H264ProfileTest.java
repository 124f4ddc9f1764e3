package dev.switchboard.relay.sfu.sdp;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * profile-level-id to profile (RFC 6184 §8.1: profile_idc plus the constraint flags of profile-iop; the level is
 * not part of the profile). Values as Chromium offers them (42e01f, 42001f, 4d001f, 640c1f), others at the
 * boundaries of the flag rules.
 */
class H264ProfileTest {

    @ParameterizedTest
    @CsvSource({
            "42e01f, CONSTRAINED_BASELINE",
            "42e034, CONSTRAINED_BASELINE", // level 5.2: same profile
            "42401f, CONSTRAINED_BASELINE", // constraint_set1 alone decides it
            "42001f, BASELINE",
            "42C01F, CONSTRAINED_BASELINE", // hex in either case
            "4d801f, CONSTRAINED_BASELINE", // Main with constraint_set0
            "4d001f, MAIN",
            "58c01f, CONSTRAINED_BASELINE",
            "58801f, BASELINE",
            "58001f, EXTENDED",
            "640c1f, CONSTRAINED_HIGH",
            "64001f, HIGH",
            "f4001f, OTHER",
    })
    void profiles(String profileLevelId, H264Profile expected) {
        assertEquals(expected, H264Profile.of(profileLevelId));
    }

    @ParameterizedTest
    @CsvSource({"42e01", "42e01f0", "zze01f", "''"})
    void malformedIsNull(String profileLevelId) {
        assertEquals(null, H264Profile.of(profileLevelId));
    }

    @org.junit.jupiter.api.Test
    void absentMeansBaselineLevelOne() {
        assertEquals(H264Profile.BASELINE, H264Profile.of(null));
    }
}
