package dev.switchboard.web.whip;

/**
 * What a WHIP/WHEP {@code PATCH} body (an RFC 8840 SDP fragment) tells the server: the ICE credentials it names, if
 * any. Candidates in it are not kept: the SFU is ICE-lite and learns the client's addresses from its checks.
 *
 * @param iceUfrag the fragment's {@code a=ice-ufrag}, or null
 * @param icePwd   the fragment's {@code a=ice-pwd}, or null
 */
public record TrickleFragment(String iceUfrag, String icePwd) {

    /** @param sdpFrag a body already checked by {@link SdpText#read} */
    public static TrickleFragment parse(String sdpFrag) {
        return new TrickleFragment(SdpText.attribute(sdpFrag, "ice-ufrag"), SdpText.attribute(sdpFrag, "ice-pwd"));
    }

    /**
     * Whether the client asks for an ICE restart: RFC 9725 §4.3.3 has it send {@code If-Match: *} and the new
     * {@code ice-ufrag}/{@code ice-pwd}; a fragment (RFC 8840 §4.4) names the session's current ufrag otherwise, so
     * another ufrag than the offer's is a restart too, whatever the header says.
     *
     * @param offerUfrag the ufrag of the session's offer, or null when it is not known
     * @param ifMatch    the request's If-Match, or null
     */
    public boolean isIceRestart(String offerUfrag, String ifMatch) {
        if (ifMatch != null && ifMatch.trim().equals("*")) {
            return true;
        }
        return iceUfrag != null && offerUfrag != null && !iceUfrag.equals(offerUfrag);
    }
}
