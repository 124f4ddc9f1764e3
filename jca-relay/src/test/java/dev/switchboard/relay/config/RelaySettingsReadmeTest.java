package dev.switchboard.relay.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * README's Configuration table against {@link RelaySettings}: every relay setting has a row, with the catalogue's
 * default, and every row in the relay's namespaces is a setting of the catalogue. A row may name several settings
 * ({@code `a` / `b` | `1` / `2`}, or one default for all of them). The description column is README's own. On a
 * difference the test prints the rows it expects.
 */
class RelaySettingsReadmeTest {

    private static final Path README = Path.of("../README.md");
    /** Where relay settings live; a README row under these is one of them. */
    private static final Pattern RELAY_NAMESPACE = Pattern.compile(
            "switchboard\\.(bind|stun|software|turn|tls|relay|sfu)\\b.*");
    /** Under the relay's namespaces but read by the web module (IceServers), not the relay. */
    private static final Set<String> NOT_RELAY = Set.of("switchboard.turn.public-host",
            "switchboard.turn.credential-ttl");
    private static final Pattern NAME = Pattern.compile("`([^`]+)`");

    private record Row(String defaultCell, String description) {
    }

    @Test
    void everyRelaySettingHasItsRowWithTheCataloguesDefault() throws Exception {
        Map<String, Row> rows = rows(Files.readAllLines(README));
        List<String> problems = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (Setting<?> s : RelaySettings.ALL) {
            Row row = rows.get(s.property());
            if (row == null || !row.defaultCell().equals(s.readmeDefault())) {
                problems.add(s.property() + (row == null ? ": no row" : ": README says " + row.defaultCell()));
                expected.add("| `" + s.property() + "` | " + s.readmeDefault() + " | "
                        + (row == null ? s.summary() : row.description()) + " |");
            }
        }
        for (String property : rows.keySet()) {
            if (RELAY_NAMESPACE.matcher(property).matches() && !NOT_RELAY.contains(property)
                    && RelaySettings.ALL.stream().noneMatch(s -> s.property().equals(property))) {
                problems.add(property + ": in README's table but not in RelaySettings");
            }
        }
        if (!problems.isEmpty()) {
            fail(String.join("\n", problems) + "\nREADME's Configuration table should have:\n"
                    + String.join("\n", expected));
        }
    }

    @Test
    void rowsNamingSeveralSettingsAreRead() {
        Map<String, Row> rows = rows(List.of("| Property | Default | What |", "|---|---|---|",
                "| `switchboard.turn.min-port` / `switchboard.turn.max-port` | `49152` / `65535` | range |",
                "| `switchboard.tls.certificate` / `switchboard.tls.private-key` | *(none)* | PEM |",
                "| `switchboard.turn.realm` | `switchboard` | realm, with a / in it |"));
        assertEquals("`49152`", rows.get("switchboard.turn.min-port").defaultCell());
        assertEquals("`65535`", rows.get("switchboard.turn.max-port").defaultCell());
        assertEquals("*(none)*", rows.get("switchboard.tls.private-key").defaultCell());
        assertEquals("realm, with a / in it", rows.get("switchboard.turn.realm").description());
        assertEquals(5, rows.size());
    }

    @Test
    void theRelaysNamespacesCoverEverySettingOfTheCatalogue() {
        for (Setting<?> s : RelaySettings.ALL) {
            assertTrue(RELAY_NAMESPACE.matcher(s.property()).matches(), s.property());
        }
    }

    /** The table's rows by property: {@code | `name` [/ `name`...] | default [/ default...] | description |}. */
    private static Map<String, Row> rows(List<String> lines) {
        Map<String, Row> rows = new LinkedHashMap<>();
        for (String line : lines) {
            if (!line.startsWith("| `")) {
                continue;
            }
            String[] cells = line.substring(1).split(" \\| ", 3);
            if (cells.length < 3) {
                continue;
            }
            List<String> names = new ArrayList<>();
            for (String part : cells[0].trim().split(" / ")) {
                Matcher m = NAME.matcher(part.trim());
                if (m.lookingAt()) {
                    names.add(m.group(1));
                }
            }
            String[] defaults = cells[1].trim().split(" / ");
            String description = cells[2].endsWith(" |") ? cells[2].substring(0, cells[2].length() - 2) : cells[2];
            for (int i = 0; i < names.size(); i++) {
                String d = defaults.length == names.size() ? defaults[i] : cells[1].trim();
                rows.put(names.get(i), new Row(d.trim(), description.trim()));
            }
        }
        return rows;
    }
}
