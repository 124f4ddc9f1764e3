package dev.switchboard.web.whip;

import dev.switchboard.web.api.ProblemException;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The envelope of an SDP body as WHIP and WHEP receive it: its media type, size, UTF-8, and lines of RFC 8866 §5's
 * {@code <type>=<value>} shape. What the SDP says is the relay's to judge (it parses the offer and refuses a bad one);
 * this only turns away what is not SDP text at all, with a clear error and before anything is held for it.
 */
public final class SdpText {

    public static final String SDP = "application/sdp";
    /** RFC 8840 §9.1: the body of a trickle PATCH. */
    public static final String TRICKLE = "application/trickle-ice-sdpfrag";
    /**
     * The largest body read, as for JSON bodies (StrictJsonReader): a browser's audio+video offer is about 6 KiB,
     * a simulcast one with every codec under 16 KiB (also the HTTP edge's default limit, which applies first).
     */
    public static final int MAX_BYTES = 64 * 1024;

    /** RFC 8866 §9: a line is one lower-case letter, '=', then text without CR, LF or NUL (we refuse every control but TAB). */
    private static final Pattern LINE = Pattern.compile("[a-z]=[^\\x00-\\x08\\x0a-\\x1f\\x7f]*");

    private SdpText() {
    }

    /** Whether {@code contentType} names {@code expected} (case-insensitive, parameters such as charset aside). */
    public static boolean isType(String contentType, String expected) {
        if (contentType == null) {
            return false;
        }
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT).equals(expected);
    }

    /**
     * The body as text, refused as a problem: 415 for another media type, 413 past {@link #MAX_BYTES}, 400 when empty,
     * not UTF-8, or not lines of SDP.
     */
    public static String read(String contentType, String expected, InputStream in) throws IOException {
        if (!isType(contentType, expected)) {
            throw new ProblemException(Response.Status.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
                    "this resource takes " + expected);
        }
        byte[] body = in == null ? new byte[0] : in.readNBytes(MAX_BYTES + 1);
        if (body.length > MAX_BYTES) {
            throw new ProblemException(Response.Status.REQUEST_ENTITY_TOO_LARGE, "body-too-large",
                    "a request body is at most " + MAX_BYTES + " bytes");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw malformed("the body is not UTF-8");
        }
        if (text.isBlank()) {
            throw new ProblemException(Response.Status.BAD_REQUEST, "missing-body", "a body of " + expected + " is required");
        }
        List<String> lines = lines(text);
        for (int i = 0; i < lines.size(); i++) {
            if (!LINE.matcher(lines.get(i)).matches()) {
                throw malformed("line " + (i + 1) + " is not an SDP line (<letter>=<text>)");
            }
        }
        if (SDP.equals(expected) && !lines.get(0).equals("v=0")) {
            throw malformed("an SDP offer begins with v=0 (RFC 8866 §5.1)");
        }
        return text;
    }

    /** The value of the first {@code a=<name>:<value>} line, or null. */
    public static String attribute(String sdp, String name) {
        String prefix = "a=" + name + ":";
        for (String line : lines(sdp)) {
            if (line.startsWith(prefix)) {
                return line.substring(prefix.length()).trim();
            }
        }
        return null;
    }

    /**
     * The lines, CRLF or LF ended (RFC 8866 §5 asks for CRLF and tells parsers to take LF); line ends after the last
     * line are not lines.
     */
    static List<String> lines(String text) {
        int end = text.length();
        while (end > 0 && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
            end--;
        }
        return List.of(text.substring(0, end).split("\r?\n", -1));
    }

    private static ProblemException malformed(String detail) {
        return new ProblemException(Response.Status.BAD_REQUEST, "malformed-sdp", detail);
    }
}
