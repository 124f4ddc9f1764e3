package dev.switchboard.web.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /api/openapi}: the API's OpenAPI 3 document, written by hand next to the resources (OpenApiDocumentTest
 * fails when an endpoint is missing from it). Static rather than WildFly's microprofile-openapi layer: one more
 * subsystem to provision and secure for a document that changes with the code anyway.
 */
@Path("/openapi")
public class OpenApiResource {

    static final String DOCUMENT = "/openapi.json";

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public byte[] document() {
        try (InputStream in = OpenApiResource.class.getResourceAsStream(DOCUMENT)) {
            if (in == null) {
                throw new IllegalStateException(DOCUMENT + " is missing from the web module");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
