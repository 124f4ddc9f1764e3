/**
 * A TURN server (RFC 8656) on the relay's event loops: {@link dev.switchboard.relay.turn.TurnServer} is the entry
 * point, built from a {@link dev.switchboard.relay.turn.TurnConfig}; allocation state is kept apart from the
 * transport, and the STUN codec apart from the server logic.
 *
 * <p>Decisions worth knowing:
 * <ul>
 * <li>Nonces are stateless (expiry + HMAC over expiry and client IP, see {@code StatelessNonces}): nothing is kept
 * about a client before it authenticates. A server restart invalidates nonces (438, the client retries).</li>
 * <li>DONT-FRAGMENT is not understood (the JDK cannot set DF on a datagram socket): an Allocate carrying it gets 420,
 * as RFC 8656 §7.2 prescribes for a server without DF support; a Send indication carrying it is dropped.</li>
 * <li>UDP relaying (REQUESTED-TRANSPORT 17) and TCP relaying (6, RFC 6062: Connect, ConnectionBind,
 * ConnectionAttempt); other transports answer 442. A TCP allocation is one family, its peer data connections start
 * from its relayed address (the listening port is shared with {@code SO_REUSEPORT}), and a bound pair is one byte
 * pipe with back-pressure (see {@link dev.switchboard.relay.transport.StreamSplice}). Misusing one kind of allocation
 * as the other answers 400: Connect on a UDP allocation, ChannelBind on a TCP one (Send indications are dropped).
 * Bytes of a TCP pair are accounted like datagrams, a "packet" being one read from a socket, and the bandwidth cap
 * holds the sending side back (the bytes read wait, and its socket is not read) rather than dropping anything. As every socket on
 * a port must ask for {@code SO_REUSEPORT} to share it, another program of the same OS user doing so could bind one
 * of our TCP relayed ports too: the relayed port range should be the relay's alone.</li>
 * <li>Dual allocation (ADDITIONAL-ADDRESS-FAMILY) is supported; without an IPv6 relay address, or without a free
 * IPv6 port, the allocation is IPv4 only and says why in ADDRESS-ERROR-CODE (440 or 508). A Refresh with LIFETIME 0
 * and REQUESTED-ADDRESS-FAMILY drops one family of a dual allocation.</li>
 * <li>EVEN-PORT with R reserves N+1 by keeping a placeholder socket bound on it until the RESERVATION-TOKEN is used
 * or {@link dev.switchboard.relay.turn.TurnConfig#reservationLifetime()} passes.</li>
 * <li>Channel numbers up to 0x7FFF are accepted by default (RFC 5766's range, which coturn's clients still use);
 * {@link dev.switchboard.relay.turn.TurnConfig#RFC8656_MAX_CHANNEL} makes it strict. ChannelData with numbers
 * 0x5000–0x7FFF only reaches the server if the transport classifies first bytes 0x50–0x7F as ChannelData.</li>
 * <li>A retransmitted Allocate (same 5-tuple and transaction id) gets the stored success response again.</li>
 * <li>Channels and permissions must both be alive for ChannelData to be relayed either way.</li>
 * <li>Replies to unauthenticated requests (Binding, 401/438 challenges, errors found before MESSAGE-INTEGRITY checked
 * out) are what a spoofed source can aim at a victim: each takes a token from a per-source-IP bucket
 * ({@link dev.switchboard.relay.turn.TurnConfig#unauthenticatedRate()}, one limiter shared by the loops), and over UDP
 * is at most {@link dev.switchboard.relay.turn.TurnConfig#unauthenticatedReplyFactor()} times its request, shrunk
 * first, else not sent. Authenticated requests and relayed data are never limited.</li>
 * <li>With several event loops ({@link dev.switchboard.relay.turn.TurnService}) an allocation lives on the loop
 * whose listener its client's flow reached, with its relayed sockets: the relay path takes no lock shared with
 * another loop. Quotas, relayed ports, reservations, the rate limiter and the nonce secret are shared.</li>
 * <li>Disabling or deleting a credential refuses its next request at once, and the allocations it made end at once
 * too ({@link dev.switchboard.relay.turn.TurnServer#endRevoked}, end reason CREDENTIAL_REVOKED), as do those of a
 * denied REST-API user id or a removed REST-API secret. An allocation that outlived its credential otherwise (an
 * expired one) ends at its next request (Refresh, CreatePermission, ChannelBind), which gets 401. A wrong password
 * for a user who still exists ends nothing.</li>
 * </ul>
 */
package dev.switchboard.relay.turn;
