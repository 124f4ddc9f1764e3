package dev.switchboard.web.signal;

import dev.switchboard.connector.sfu.SfuAnswer;
import dev.switchboard.connector.sfu.SfuLimits;
import dev.switchboard.connector.sfu.SfuRefusal;
import dev.switchboard.connector.sfu.SfuServerOffer;
import jakarta.resource.ResourceException;

import java.io.Serializable;
import java.util.Optional;

/**
 * One {@link SfuGateway} call carried to the room's media node and run there on its relay ({@link #run}); what it
 * answers, a refusal included, comes back as a {@link Reply}. Strings and numbers only, in plain classes: the
 * cluster's dispatcher marshals them with JBoss Marshalling, and nothing of the connector's types travels.
 */
public final class SfuCall implements Serializable {

    private static final long serialVersionUID = 1L;

    enum Op { PUBLISH, REPUBLISH, SUBSCRIBE, ANSWER, REFRESH, VIDEO_SIZE, CLOSE }

    private final Op op;
    private final String room;
    /** The participant (publish, subscribe) or the session (the others). */
    private final String subject;
    private final String text;
    private final int number;
    private final int maxPublishers;
    private final int maxViewers;
    private final long maxPublisherBitrate;

    private SfuCall(Op op, String room, String subject, String text, int number, SfuLimits limits) {
        this.op = op;
        this.room = room;
        this.subject = subject;
        this.text = text;
        this.number = number;
        this.maxPublishers = limits == null ? 0 : limits.maxPublishers();
        this.maxViewers = limits == null ? 0 : limits.maxViewers();
        this.maxPublisherBitrate = limits == null ? 0 : limits.maxPublisherBitrate();
    }

    static SfuCall publish(String room, String participant, String sdp, SfuLimits limits) {
        return new SfuCall(Op.PUBLISH, room, participant, sdp, 0, limits);
    }

    static SfuCall republish(String room, String session, String sdp) {
        return new SfuCall(Op.REPUBLISH, room, session, sdp, 0, null);
    }

    static SfuCall subscribe(String room, String participant, SfuLimits limits) {
        return new SfuCall(Op.SUBSCRIBE, room, participant, null, 0, limits);
    }

    static SfuCall answer(String room, String session, String sdp) {
        return new SfuCall(Op.ANSWER, room, session, sdp, 0, null);
    }

    static SfuCall refresh(String room, String session) {
        return new SfuCall(Op.REFRESH, room, session, null, 0, null);
    }

    static SfuCall videoSize(String room, String session, String track, int height) {
        return new SfuCall(Op.VIDEO_SIZE, room, session, track, height, null);
    }

    static SfuCall close(String room, String session) {
        return new SfuCall(Op.CLOSE, room, session, null, 0, null);
    }

    String room() {
        return room;
    }

    /** On the media node: the call on its own relay; never throws, a failure is in the reply. */
    public Reply run(SfuGateway here) {
        try {
            SfuLimits limits = new SfuLimits(maxPublishers, maxViewers, maxPublisherBitrate);
            switch (op) {
                case PUBLISH:
                    return Reply.of(here.publish(room, subject, text, limits));
                case REPUBLISH:
                    return Reply.of(here.republish(room, subject, text));
                case SUBSCRIBE:
                    SfuServerOffer offer = here.subscribe(room, subject, limits);
                    return new Reply(offer.sessionId(), offer.sdp(), null, null, 0);
                case ANSWER:
                    here.answer(room, subject, text);
                    return Reply.DONE;
                case REFRESH:
                    return new Reply(null, here.refresh(room, subject).orElse(null), null, null, 0);
                case VIDEO_SIZE:
                    here.videoSize(room, subject, text, number);
                    return Reply.DONE;
                default:
                    here.close(room, subject);
                    return Reply.DONE;
            }
        } catch (SfuRefusal e) {
            return new Reply(null, null, e.reason().name(), e.getMessage(), e.retryAfterSeconds());
        } catch (ResourceException | RuntimeException e) {
            return new Reply(null, null, null, "the media node failed: " + e, 0);
        }
    }

    /** What the media node answered: a session and an SDP, a refusal, or a failure. */
    public static final class Reply implements Serializable {
        private static final long serialVersionUID = 1L;
        static final Reply DONE = new Reply(null, null, null, null, 0);

        private final String session;
        private final String sdp;
        /** An {@link SfuRefusal.Reason}'s name, or null. */
        private final String refusal;
        /** The refusal's message, or a failure's (then {@link #refusal} is null). */
        private final String message;
        private final int retryAfter;

        Reply(String session, String sdp, String refusal, String message, int retryAfter) {
            this.session = session;
            this.sdp = sdp;
            this.refusal = refusal;
            this.message = message;
            this.retryAfter = retryAfter;
        }

        private static Reply of(SfuAnswer a) {
            return new Reply(a.sessionId(), a.sdp(), null, null, 0);
        }

        /** Throws what the media node threw (a refusal as itself, a failure as a ResourceException). */
        Reply check() throws ResourceException {
            if (refusal != null) {
                throw new SfuRefusal(SfuRefusal.Reason.valueOf(refusal), message, retryAfter);
            }
            if (message != null) {
                throw new ResourceException(message);
            }
            return this;
        }

        SfuAnswer answer() {
            return new SfuAnswer(session, sdp);
        }

        SfuServerOffer offer() {
            return new SfuServerOffer(session, sdp);
        }

        Optional<String> sdp() {
            return Optional.ofNullable(sdp);
        }
    }
}
