package dev.switchboard.web.api;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The served document names exactly the operations the resources have: an endpoint added without docs fails here. */
class OpenApiDocumentTest {

    private static final List<Class<?>> RESOURCES = List.of(HealthResource.class, RelayResource.class, RoomResource.class,
            UserResource.class, TurnCredentialResource.class, UsageResource.class, ApiKeyResource.class,
            OpenApiResource.class, IceServersResource.class, ClientConfigResource.class, MeResource.class,
            WhipResource.class, WhepResource.class);

    @Test
    void everyOperationIsDocumentedAndNothingElse() throws Exception {
        Set<String> code = new TreeSet<>();
        for (Class<?> r : RESOURCES) {
            String base = r.getAnnotation(Path.class).value();
            for (Method m : r.getMethods()) { // public ones, also inherited (WHIP and WHEP share theirs)
                String verb = Arrays.stream(m.getAnnotations())
                        .map(a -> a.annotationType().getAnnotation(HttpMethod.class))
                        .filter(Objects::nonNull).map(h -> h.value().toLowerCase(Locale.ROOT)).findFirst().orElse(null);
                if (verb != null) {
                    Path sub = m.getAnnotation(Path.class);
                    code.add(verb + " " + base + (sub == null ? "" : sub.value()));
                }
            }
        }
        JsonObject doc;
        try (JsonReader r = Json.createReader(new ByteArrayInputStream(new OpenApiResource().document()))) {
            doc = r.readObject();
        }
        Set<String> documented = new TreeSet<>();
        doc.getJsonObject("paths").forEach((path, ops) -> ops.asJsonObject().keySet()
                .forEach(verb -> documented.add(verb + " " + path)));
        assertEquals(code, documented);
        assertEquals("3.0.3", doc.getString("openapi"));
    }
}
