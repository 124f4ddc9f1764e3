package dev.switchboard.web.signal;

import dev.switchboard.web.signal.protocol.Utf8;

/**
 * Puts a text message together from the parts the WebSocket container hands over, within the size limit. The
 * container's own limit cannot be relied on (Undertow in WildFly 39 buffered a 20 MB message whole despite
 * {@code setMaxTextMessageBufferSize}), so we take the message in parts and stop buffering at the limit: an
 * oversized message costs no memory, is read to its end and answered with an error; one that goes on past
 * {@link #ABORT_FACTOR} times the limit is not worth reading and ends the connection.
 */
final class MessageAssembler {

    static final int ABORT_FACTOR = 4;

    enum Kind { MORE, COMPLETE, TOO_LARGE, ABORT }

    record Result(Kind kind, String text) {
        static final Result MORE = new Result(Kind.MORE, null);
        static final Result TOO_LARGE = new Result(Kind.TOO_LARGE, null);
        static final Result ABORT = new Result(Kind.ABORT, null);
    }

    private final int limit;
    private final long abortAfter;
    private StringBuilder buffer;
    private long bytes;
    private boolean overflow;
    private long binaryBytes;

    MessageAssembler(int limit) {
        this.limit = limit;
        this.abortAfter = (long) limit * ABORT_FACTOR;
    }

    /** Called by the socket's message thread only. */
    Result append(String part, boolean last) {
        bytes += Utf8.length(part);
        if (!overflow && bytes > limit) {
            overflow = true;
            buffer = null; // what we had is dropped at once
        }
        if (overflow) {
            if (bytes > abortAfter) {
                reset();
                return Result.ABORT;
            }
            if (last) {
                reset();
                return Result.TOO_LARGE;
            }
            return Result.MORE;
        }
        if (last && buffer == null) { // the usual case: the whole message in one part, no copy
            reset();
            return new Result(Kind.COMPLETE, part);
        }
        if (buffer == null) {
            buffer = new StringBuilder(part.length() * 2);
        }
        buffer.append(part);
        if (!last) {
            return Result.MORE;
        }
        String text = buffer.toString();
        reset();
        return new Result(Kind.COMPLETE, text);
    }

    /**
     * A part of a binary message (the protocol has none): counted toward the same cut-off as text, never kept.
     *
     * @return {@link Kind#MORE}, {@link Kind#COMPLETE} at its last part, or {@link Kind#ABORT} past the cut-off
     */
    Kind skip(int partBytes, boolean last) {
        binaryBytes += partBytes;
        if (binaryBytes > abortAfter) {
            binaryBytes = 0;
            return Kind.ABORT;
        }
        if (last) {
            binaryBytes = 0;
            return Kind.COMPLETE;
        }
        return Kind.MORE;
    }

    private void reset() {
        buffer = null;
        bytes = 0;
        overflow = false;
    }
}
