package dev.switchboard.relay.ra;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ra.xml declares each config property, ironjacamar.xml sets it from a system property, and the adapter has a
 * setter for it: a property missing from one of the three would be silently ignored by the container.
 */
class AdapterDescriptorsTest {

    private static final Path RAR = Path.of("src/main/rar/META-INF");
    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{(switchboard\\.[a-z0-9.-]+):([^}]*)}");

    @Test
    void everyPropertyIsDeclaredSetFromASystemPropertyAndHasASetter() throws Exception {
        Map<String, String> declared = new LinkedHashMap<>();
        NodeList raProps = parse("ra.xml").getElementsByTagName("config-property");
        for (int i = 0; i < raProps.getLength(); i++) {
            Element p = (Element) raProps.item(i);
            declared.put(text(p, "config-property-name"), text(p, "config-property-value"));
        }
        Map<String, String> expressions = new LinkedHashMap<>();
        NodeList ijProps = parse("ironjacamar.xml").getElementsByTagName("config-property");
        for (int i = 0; i < ijProps.getLength(); i++) {
            Element p = (Element) ijProps.item(i);
            if (p.getParentNode().getNodeName().equals("ironjacamar")) {
                expressions.put(p.getAttribute("name"), p.getTextContent().trim());
            }
        }
        assertEquals(declared.keySet(), expressions.keySet());
        for (Map.Entry<String, String> e : expressions.entrySet()) {
            Matcher m = EXPRESSION.matcher(e.getValue());
            assertTrue(m.matches(), e.getKey() + " is set from a switchboard.* system property: " + e.getValue());
            assertEquals(declared.get(e.getKey()), m.group(2), e.getKey() + ": the same default in both files");
            RelayResourceAdapter.class.getMethod("set" + e.getKey(), String.class);
            RelayResourceAdapter.class.getMethod("get" + e.getKey());
        }
        assertEquals("${switchboard.turn.tls.port:5349}", expressions.get("TurnTlsPort"));
    }

    private static org.w3c.dom.Document parse(String name) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        return f.newDocumentBuilder().parse(RAR.resolve(name).toFile());
    }

    private static String text(Element parent, String tag) {
        NodeList n = parent.getElementsByTagName(tag);
        return n.getLength() == 0 ? "" : n.item(0).getTextContent().trim();
    }
}
