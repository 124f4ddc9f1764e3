package dev.switchboard.relay.service;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The relay's packages depend one way: {@code server} composes the services, the services ({@code binding},
 * {@code turn}) depend on the SPI and the layers below, never on {@code server} or on each other upwards. Read from
 * the sources' imports and fully qualified references, so a cycle (such as {@code turn} ↔ {@code server} had) fails
 * here.
 */
class PackageDependenciesTest {

    private static final Path SOURCES = Path.of("src/main/java/dev/switchboard/relay");
    private static final Pattern REFERENCE = Pattern.compile("dev\\.switchboard\\.relay\\.([a-z]+)\\.");

    @Test
    void packagesDependOneWay() throws IOException {
        assertAllowed("service", Set.of("transport"));
        assertAllowed("binding", Set.of("stun", "ice", "transport", "service"));
        assertAllowed("turn", Set.of("stun", "transport", "service", "binding"));
        assertAllowed("transport", Set.of());
        assertAllowed("stun", Set.of());
        // The SFU's pieces: ICE's STUN vocabulary on the core codec, media buffers on nothing, the SFU on those.
        assertAllowed("ice", Set.of("stun"));
        assertAllowed("media", Set.of());
        assertAllowed("sfu", Set.of("stun", "ice", "media", "transport", "service"));
    }

    private static void assertAllowed(String pkg, Set<String> allowed) throws IOException {
        Path dir = SOURCES.resolve(pkg);
        assertTrue(Files.isDirectory(dir), dir + " (run from the module directory)");
        List<String> offending = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher m = REFERENCE.matcher(Files.readString(file));
                while (m.find()) {
                    String target = m.group(1);
                    if (!target.equals(pkg) && !allowed.contains(target)) {
                        offending.add(SOURCES.relativize(file) + " -> " + target);
                    }
                }
            }
        }
        assertEquals(List.of(), offending, pkg + " may depend on " + allowed + " only");
    }
}
