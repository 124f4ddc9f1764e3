# Builds the pipeline simple-whip-client builds (webrtcbin bundle-policy=max-bundle, sendonly transceivers) and
# writes webrtcbin's offer: as created (what whip-client POSTs when it trickles) and after gathering (its -n mode).
import gi, sys
gi.require_version('Gst', '1.0'); gi.require_version('GstWebRTC', '1.0'); gi.require_version('GstSdp', '1.0')
from gi.repository import Gst, GstWebRTC, GstSdp, GLib
Gst.init(None)
V = "videotestsrc is-live=true ! videoconvert ! vp8enc deadline=1 ! rtpvp8pay pt=96 ! queue ! application/x-rtp,media=video,encoding-name=VP8,payload=96"
A = "audiotestsrc is-live=true wave=red-noise ! audioconvert ! audioresample ! queue ! opusenc ! rtpopuspay pt=111 ! queue ! application/x-rtp,media=audio,encoding-name=OPUS,payload=111"
pipe = Gst.parse_launch("webrtcbin name=sendonly bundle-policy=3 stun-server=stun://127.0.0.1:3478 " + V + " ! sendonly. " + A + " ! sendonly.")
wb = pipe.get_by_name('sendonly')
loop = GLib.MainLoop()
def write(name, sdp):
    open('/tmp/sdpcap/out/' + name, 'w').write(sdp); print(name, len(sdp))
def on_gather(*a):
    if wb.get_property('ice-gathering-state') == GstWebRTC.WebRTCICEGatheringState.COMPLETE:
        write('gstreamer-offer-gathered.sdp', wb.get_property('local-description').sdp.as_text()); loop.quit()
def on_offer(promise, _):
    promise.wait()
    reply = promise.get_reply()
    offer = reply.get_value('offer')
    write('gstreamer-offer.sdp', offer.sdp.as_text())
    p = Gst.Promise.new(); wb.emit('set-local-description', offer, p); p.interrupt()
def on_neg(_):
    print("neg")
    for i in range(2):
        t = wb.emit('get-transceiver', i)
        print('t', i, t)
        if t is None: break
        t.set_property('direction', GstWebRTC.WebRTCRTPTransceiverDirection.SENDONLY)
    wb.emit('create-offer', None, Gst.Promise.new_with_change_func(on_offer, None))
wb.connect('on-negotiation-needed', on_neg)
wb.connect('notify::ice-gathering-state', on_gather)
pipe.set_state(Gst.State.PLAYING)
GLib.timeout_add_seconds(15, loop.quit)
loop.run()
pipe.set_state(Gst.State.NULL)
