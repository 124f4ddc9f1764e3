package dev.switchboard.relay.sfu.dtls;

/**
 * Where a DTLS session's datagrams go: the event loop's UDP socket towards the session's remote address. Called
 * from handshake threads as well as the loop, so an implementation hands the bytes over thread-safely (or sends at
 * once on a socket that allows concurrent senders). The bytes are only valid during the call: copy what must
 * outlive it. It must not block for long and should not throw; a datagram it cannot send is dropped (DTLS
 * retransmits its handshake flights).
 */
@FunctionalInterface
public interface DtlsOutput {

    void send(byte[] buf, int off, int len);
}
