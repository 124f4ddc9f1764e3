package dev.switchboard.relay.transport;

/**
 * Socket settings of a {@link UdpEndpoint}.
 *
 * @param receiveBufferSize     SO_RCVBUF to request, in bytes; 0 keeps the system default. Large by default: the
 *                              kernel's receive buffer overflowing during bursts is where a relay loses datagrams.
 *                              Linux caps the request at {@code net.core.rmem_max}.
 * @param sendBufferSize        SO_SNDBUF to request, in bytes; 0 keeps the system default
 *                              ({@code net.core.wmem_max} caps it)
 * @param maxDatagramsPerWakeup datagrams read before the loop serves its other sockets, for fairness; the rest are
 *                              read on the loop's next turn
 * @param clientSockets         whether the listener may open a socket connected to one client
 *                              ({@link Flow#dedicatedTo}): the listener then binds with {@code SO_REUSEPORT}. Ignored
 *                              where the system has no {@code SO_REUSEPORT}
 */
public record UdpOptions(int receiveBufferSize, int sendBufferSize, int maxDatagramsPerWakeup,
                         boolean clientSockets) {

    /** 4 MiB buffers each way, 64 datagrams per wakeup, sockets per client: for a client-facing listener. */
    public static final UdpOptions DEFAULTS = new UdpOptions(4 << 20, 4 << 20, 64, true);

    public UdpOptions {
        if (receiveBufferSize < 0 || sendBufferSize < 0) {
            throw new IllegalArgumentException("socket buffer sizes must be 0 (system default) or positive");
        }
        if (maxDatagramsPerWakeup <= 0) {
            throw new IllegalArgumentException("maxDatagramsPerWakeup must be positive");
        }
    }

    public UdpOptions withReceiveBufferSize(int bytes) {
        return new UdpOptions(bytes, sendBufferSize, maxDatagramsPerWakeup, clientSockets);
    }

    public UdpOptions withSendBufferSize(int bytes) {
        return new UdpOptions(receiveBufferSize, bytes, maxDatagramsPerWakeup, clientSockets);
    }

    public UdpOptions withMaxDatagramsPerWakeup(int count) {
        return new UdpOptions(receiveBufferSize, sendBufferSize, count, clientSockets);
    }

    public UdpOptions withClientSockets(boolean enabled) {
        return new UdpOptions(receiveBufferSize, sendBufferSize, maxDatagramsPerWakeup, enabled);
    }
}
