package dev.switchboard.relay.ice;

import dev.switchboard.relay.stun.StunException;
import dev.switchboard.relay.stun.StunMessage;
import org.junit.jupiter.api.Test;

import static dev.switchboard.relay.stun.TestMessages.request;
import static dev.switchboard.relay.stun.TestMessages.withRaw;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UseCandidateTest {

    @Test
    void isAnEmptyFlag() throws Exception {
        StunMessage m = request(UseCandidate::add);
        assertTrue(UseCandidate.isPresent(m));
        assertEquals(0, m.attributeLength(0));
        assertEquals(24, m.size(), "header and a bare attribute header");
        IceStun.REGISTRY.validate(m);
        assertFalse(UseCandidate.isPresent(request(e -> { })));
    }

    @Test
    void aValueIs400() throws Exception {
        StunMessage m = withRaw(IceAttribute.USE_CANDIDATE, new byte[]{0});
        assertEquals(400, assertThrows(StunException.class, () -> UseCandidate.isPresent(m)).errorCode());
        assertEquals(400, assertThrows(StunException.class, () -> IceStun.REGISTRY.validate(m)).errorCode());
    }
}
