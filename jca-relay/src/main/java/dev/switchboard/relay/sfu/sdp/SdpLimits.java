package dev.switchboard.relay.sfu.sdp;

/**
 * Bounds on what the parser accepts, so a stranger's offer costs bounded memory and time. The defaults are far
 * above what browsers send (Chromium's audio+video offer with candidates: about 6 KB, 160 lines, 2 sections) and
 * far below what could hurt. Not an operator setting: the limits protect the parser, they do not shape calls.
 *
 * @param maxChars         longest description, in characters
 * @param maxLines         most lines
 * @param maxLineLength    longest line, in characters, without its line ending
 * @param maxMediaSections most {@code m=} sections
 */
public record SdpLimits(int maxChars, int maxLines, int maxLineLength, int maxMediaSections) {

    /** 64 KiB, 2,048 lines, 4,096 characters per line, 64 media sections. */
    public static final SdpLimits DEFAULT = new SdpLimits(64 * 1024, 2048, 4096, 64);

    public SdpLimits {
        if (maxChars < 1 || maxLines < 1 || maxLineLength < 1 || maxMediaSections < 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }
}
