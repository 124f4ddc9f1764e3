package dev.switchboard.web.whip;

import dev.switchboard.connector.sfu.SfuRefusal;
import dev.switchboard.web.api.ProblemException;
import dev.switchboard.web.log.LogLimiter;
import jakarta.resource.ResourceException;
import jakarta.ws.rs.core.Response;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The relay's refusals as the HTTP problems WHIP and WHEP answer with. A refusal's message is the relay's, written to
 * be shown (it names nothing internal); any other failure of the adapter is told only as "unavailable" and logged.
 */
public final class SfuProblems {

    private static final Logger LOG = Logger.getLogger(SfuProblems.class.getName());
    private static final LogLimiter LOGS = new LogLimiter(3, Duration.ofMinutes(1), Clock.systemUTC());

    private SfuProblems() {
    }

    /** A 503 that tells the client when to try again. */
    public static final class RetryLater extends ProblemException {
        private final int seconds;

        RetryLater(String kind, String detail, int seconds) {
            super(Response.Status.SERVICE_UNAVAILABLE, kind, detail);
            this.seconds = seconds;
        }

        public int retryAfterSeconds() {
            return seconds;
        }

        @Override
        public Response response() {
            return Response.fromResponse(super.response()).header("Retry-After", seconds).build();
        }
    }

    public static ProblemException of(ResourceException e) {
        if (!(e instanceof SfuRefusal refusal)) {
            LOGS.log(LOG, Level.WARNING, "relay", e, () -> "the relay failed an SFU request: " + e);
            return new ProblemException(Response.Status.SERVICE_UNAVAILABLE, "relay-unavailable",
                    "the media server is not available");
        }
        String message = refusal.getMessage();
        Response.Status status;
        String kind;
        switch (refusal.reason()) {
            case BAD_OFFER -> {
                status = Response.Status.BAD_REQUEST;
                kind = "bad-offer";
            }
            case ROOM_FULL -> {
                status = Response.Status.CONFLICT;
                kind = "room-full";
            }
            case NO_SUCH_SESSION -> {
                status = Response.Status.NOT_FOUND;
                kind = "no-such-session";
            }
            case OVERLOADED -> {
                // the relay's own hint (WHIP clients such as GStreamer's retry on their own schedule anyway)
                return new RetryLater("sfu-overloaded", or(message, "the media server is at its limits"),
                        Math.max(1, refusal.retryAfterSeconds()));
            }
            default -> { // UNAVAILABLE, and whatever a newer relay adds
                status = Response.Status.SERVICE_UNAVAILABLE;
                kind = "sfu-unavailable";
            }
        }
        return new ProblemException(status, kind, or(message, refusal.reason().name().toLowerCase(Locale.ROOT)));
    }

    private static String or(String message, String otherwise) {
        return message == null || message.isBlank() ? otherwise : message;
    }
}
