package dev.switchboard.relay.sfu.sdp;

import java.util.List;

/** The server side the answerer and offer builder tests use. */
final class AnswererFixtures {

    static final ServerCapabilities SERVER = ServerCapabilities.standard(false);
    static final ServerCapabilities SERVER_VP9 = ServerCapabilities.standard(true);
    static final Fingerprint FINGERPRINT = new Fingerprint("sha-256",
            "0A:1B:2C:3D:4E:5F:60:71:82:93:A4:B5:C6:D7:E8:F9:0A:1B:2C:3D:4E:5F:60:71:82:93:A4:B5:C6:D7:E8:F9");

    private AnswererFixtures() {
    }

    static ServerTransport local() {
        return new ServerTransport(4242, "sfuU", "sfuPasswordSfuPassword0", FINGERPRINT,
                List.of(ServerTransport.hostUdp("192.0.2.10", 3478), ServerTransport.hostTcpPassive("192.0.2.10", 3478)));
    }
}
