package dev.switchboard.relay.sfu.sdp;

/** A line the model keeps as written: {@code t=}, {@code r=}, {@code z=}, {@code i=}, {@code u=}, {@code e=}, {@code p=}, {@code k=}. */
public record SdpLine(char type, String value) {

    String sdp() {
        return type + "=" + Text.checked(value);
    }
}
