package dev.switchboard.web.api;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.MessageBodyReader;
import jakarta.ws.rs.ext.Provider;

import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;

/**
 * Request bodies of the API (its records) go through {@link StrictJson} instead of the lenient JSON-B binding;
 * responses are still written by JSON-B. A body is read up to {@value #MAX_BODY} bytes (the largest valid one is a
 * few hundred): beyond that 413, without reading the rest. An empty body is null, which the resources answer with
 * {@code missing-body}.
 */
@Provider
@Consumes(MediaType.APPLICATION_JSON)
public class StrictJsonReader implements MessageBodyReader<Record> {

    static final int MAX_BODY = 64 * 1024;

    @Override
    public boolean isReadable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return type.isRecord() && type.getPackageName().startsWith("dev.switchboard.");
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Record readFrom(Class<Record> type, Type genericType, Annotation[] annotations, MediaType mediaType,
                           MultivaluedMap<String, String> headers, InputStream in) throws IOException {
        byte[] body = in.readNBytes(MAX_BODY + 1);
        if (body.length > MAX_BODY) {
            throw new ProblemException(Response.Status.REQUEST_ENTITY_TOO_LARGE, "body-too-large",
                    "a request body is at most " + MAX_BODY + " bytes");
        }
        if (body.length == 0) {
            return null;
        }
        return StrictJson.read(body, (Class) type);
    }
}
