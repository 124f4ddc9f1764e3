/**
 * The SFU's per-stream RTP/RTCP feedback state (what pion calls interceptors): {@link
 * dev.switchboard.relay.sfu.feedback.ReceiveStatistics} and {@link dev.switchboard.relay.sfu.feedback.ReceiverReports}
 * for what the SFU receives, {@link dev.switchboard.relay.sfu.feedback.SenderStatistics} for what it sends, {@link
 * dev.switchboard.relay.sfu.feedback.NackGenerator} toward publishers, {@link
 * dev.switchboard.relay.sfu.feedback.NackResponder} toward subscribers, {@link
 * dev.switchboard.relay.sfu.feedback.TwccRecorder} and {@link dev.switchboard.relay.sfu.feedback.KeyframeRequester}.
 * Pure state: time is passed in as a monotonic nanosecond clock (the loop's), nothing reads a clock, starts a thread
 * or touches a socket; RTCP is written with the {@code rtcp} codec into the caller's buffer; nothing is allocated per
 * packet once warm. One instance per stream, on its loop's thread. See docs/sfu.md, "Feedback: reports, NACK, TWCC,
 * keyframes".
 */
package dev.switchboard.relay.sfu.feedback;
