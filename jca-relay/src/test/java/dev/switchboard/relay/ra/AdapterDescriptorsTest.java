package dev.switchboard.relay.ra;

import dev.switchboard.relay.config.RelaySettings;
import dev.switchboard.relay.config.Setting;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

import javax.xml.parsers.DocumentBuilderFactory;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The adapter reads its settings through {@link RelaySettings}, not through JCA config-properties: the descriptors
 * declare none (one would need a setter, which the adapter does not have, and would be a second place for a
 * setting), and wherever a relay setting's system property appears with a default in an expression (the CLI scripts
 * configure the Elytron key store from the same properties), the default is the catalogue's.
 */
class AdapterDescriptorsTest {

    private static final Path RAR = Path.of("src/main/rar/META-INF");
    private static final Path CLI = Path.of("../standalone-config/src/main/cli");

    @Test
    void theDescriptorsDeclareNoConfigPropertyAndTheAdapterHasNoSetter() throws Exception {
        Document ra = parse("ra.xml");
        assertEquals(RelayResourceAdapter.class.getName(),
                ra.getElementsByTagName("resourceadapter-class").item(0).getTextContent().trim());
        assertEquals(0, ra.getElementsByTagName("config-property").getLength(), "ra.xml");
        assertEquals(0, parse("ironjacamar.xml").getElementsByTagName("config-property").getLength(),
                "ironjacamar.xml");
        RelayResourceAdapter.class.getConstructor(); // the container's way in
        for (Method m : RelayResourceAdapter.class.getMethods()) {
            assertFalse(m.getName().startsWith("set") && m.getParameterCount() == 1
                    && Modifier.isPublic(m.getModifiers()), "a JavaBean property: " + m);
        }
    }

    @Test
    void everyExpressionOfARelaySettingCarriesTheCataloguesDefault() throws Exception {
        List<Path> files = new ArrayList<>(List.of(RAR.resolve("ra.xml"), RAR.resolve("ironjacamar.xml")));
        try (Stream<Path> scripts = Files.list(CLI)) {
            scripts.filter(p -> p.toString().endsWith(".cli")).sorted().forEach(files::add);
        }
        int checked = 0;
        for (Path file : files) {
            String text = Files.readString(file);
            for (int at = text.indexOf("${switchboard."); at >= 0; at = text.indexOf("${switchboard.", at + 2)) {
                int end = closingBrace(text, at);
                String expression = text.substring(at + 2, end);
                int colon = expression.indexOf(':');
                String property = colon < 0 ? expression : expression.substring(0, colon);
                Optional<Setting<?>> setting = RelaySettings.ALL.stream()
                        .filter(s -> s.property().equals(property)).findFirst();
                if (setting.isEmpty() || colon < 0) {
                    continue;
                }
                String given = expression.substring(colon + 1);
                Setting<?> s = setting.get();
                assertTrue(given.equals(s.defaultText()) || ("`" + given + "`").equals(s.readmeDefault()),
                        file + ": ${" + expression + "} but " + s.property() + " defaults to " + s.readmeDefault());
                checked++;
            }
        }
        assertTrue(checked >= 3, "the Elytron key store's path, type and password are checked: " + checked);
    }

    private static int closingBrace(String text, int start) {
        int depth = 0;
        for (int i = start + 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        throw new AssertionError("unclosed expression at " + start);
    }

    private static Document parse(String name) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(RAR.resolve(name).toFile());
    }
}
