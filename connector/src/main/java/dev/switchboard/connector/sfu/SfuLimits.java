package dev.switchboard.connector.sfu;

import java.io.Serializable;

/**
 * The caps of one room, as the application stores them with the room. Zero means the relay's default (its
 * {@code switchboard.sfu.*} settings); a cap the relay has lower than the room's wins.
 *
 * @param maxPublishers       publishers in the room at once
 * @param maxViewers          viewers in the room at once
 * @param maxPublisherBitrate bits per second one publisher may send (its answer carries {@code b=TIAS})
 */
public record SfuLimits(int maxPublishers, int maxViewers, long maxPublisherBitrate) implements Serializable {

    /** The relay's defaults for everything. */
    public static final SfuLimits DEFAULTS = new SfuLimits(0, 0, 0);

    public SfuLimits {
        if (maxPublishers < 0 || maxViewers < 0 || maxPublisherBitrate < 0) {
            throw new IllegalArgumentException("limits are zero (the relay's default) or positive");
        }
    }
}
