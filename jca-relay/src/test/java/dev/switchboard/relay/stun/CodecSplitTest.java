package dev.switchboard.relay.stun;

import dev.switchboard.relay.ice.IceAttribute;
import dev.switchboard.relay.ice.IceStun;
import dev.switchboard.relay.turn.stun.TurnAttribute;
import dev.switchboard.relay.turn.stun.TurnErrorCode;
import dev.switchboard.relay.turn.stun.TurnMethod;
import dev.switchboard.relay.turn.stun.TurnStun;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The STUN codec is split by RFC (issue #11): the core package knows RFC 8489 and nothing of TURN or ICE, which
 * register their types with a {@link StunRegistry}. Reads the core's sources (surefire runs in the module
 * directory), so a TURN or ICE case creeping back into a switch fails here.
 */
class CodecSplitTest {

    private static final Path CORE = Path.of("src/main/java/dev/switchboard/relay/stun");

    /**
     * The constants' names (e.g. XOR_PEER_ADDRESS, CHANNEL_BIND, ALLOCATION_MISMATCH) and the attributes' registry
     * names (XOR-PEER-ADDRESS).
     */
    private static List<String> foreignNames() throws IllegalAccessException {
        List<String> names = new ArrayList<>(List.of("ROLE_CONFLICT", "Role Conflict"));
        for (Class<?> c : new Class<?>[]{TurnAttribute.class, TurnMethod.class, TurnErrorCode.class,
                IceAttribute.class}) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) && f.getType() == int.class) {
                    names.add(f.getName());
                    int value = f.getInt(null);
                    if (c == TurnAttribute.class || c == IceAttribute.class) {
                        names.add(IceStun.register(TurnStun.REGISTRY).attributeName(value));
                    }
                }
            }
        }
        return names.stream().distinct().toList();
    }

    private static List<Path> coreSources() throws IOException {
        assertTrue(Files.isDirectory(CORE), "run from the module directory: " + CORE.toAbsolutePath());
        try (Stream<Path> files = Files.list(CORE)) {
            return files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
    }

    @Test
    void theCoreSourcesNeitherImportNorNameTurnOrIce() throws Exception {
        List<String> names = foreignNames();
        assertTrue(names.contains("XOR_PEER_ADDRESS") && names.contains("ICE-CONTROLLING")
                && names.contains("CONNECTION_ATTEMPT") && names.contains("INSUFFICIENT_CAPACITY"),
                "the list is complete: " + names);
        List<Pattern> patterns = names.stream()
                .map(n -> Pattern.compile("(?<![\\w-])" + Pattern.quote(n) + "(?![\\w-])")).toList();
        List<String> found = new ArrayList<>();
        List<Path> sources = coreSources();
        assertTrue(sources.size() > 10, "found the sources: " + sources);
        for (Path source : sources) {
            String text = Files.readString(source);
            if (text.contains("import dev.switchboard.relay.turn") || text.contains("import dev.switchboard.relay.ice")) {
                found.add(source.getFileName() + " imports TURN or ICE");
            }
            for (int i = 0; i < names.size(); i++) {
                if (patterns.get(i).matcher(text).find()) {
                    found.add(source.getFileName() + " names " + names.get(i));
                }
            }
        }
        assertEquals(List.of(), found);
    }

    @Test
    void theRegistriesKnowTurnAndIceTypesOnlyWhereRegistered() {
        int[] turn = {TurnAttribute.CHANNEL_NUMBER, TurnAttribute.LIFETIME, TurnAttribute.XOR_PEER_ADDRESS,
                TurnAttribute.DATA, TurnAttribute.XOR_RELAYED_ADDRESS, TurnAttribute.REQUESTED_ADDRESS_FAMILY,
                TurnAttribute.EVEN_PORT, TurnAttribute.REQUESTED_TRANSPORT, TurnAttribute.DONT_FRAGMENT,
                TurnAttribute.RESERVATION_TOKEN, TurnAttribute.ADDITIONAL_ADDRESS_FAMILY,
                TurnAttribute.ADDRESS_ERROR_CODE, TurnAttribute.ICMP, TurnAttribute.CONNECTION_ID};
        int[] ice = {IceAttribute.PRIORITY, IceAttribute.USE_CANDIDATE, IceAttribute.ICE_CONTROLLED,
                IceAttribute.ICE_CONTROLLING};
        for (int type : turn) {
            assertFalse(StunRegistry.RFC_8489.knows(type));
            assertFalse(IceStun.REGISTRY.knows(type));
            assertTrue(TurnStun.REGISTRY.knows(type));
        }
        for (int type : ice) {
            assertFalse(StunRegistry.RFC_8489.knows(type));
            assertFalse(TurnStun.REGISTRY.knows(type));
            assertTrue(IceStun.REGISTRY.knows(type));
        }
        for (int method = TurnMethod.ALLOCATE; method <= TurnMethod.CONNECTION_ATTEMPT; method++) {
            assertFalse(StunRegistry.RFC_8489.knowsMethod(method));
        }
    }
}
