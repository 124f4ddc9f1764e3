package dev.switchboard.relay.binding;

import dev.switchboard.relay.service.LoopService;
import dev.switchboard.relay.service.RelayService;
import dev.switchboard.relay.service.Routes;
import dev.switchboard.relay.transport.EventLoop;
import dev.switchboard.relay.transport.PacketClass;

/** A basic STUN server (RFC 8489 §12) as a service: routes STUN to a {@link StunBindingHandler} of each loop. */
public final class BindingService implements RelayService {

    private final String software;

    /** @param software the SOFTWARE value of every response */
    public BindingService(String software) {
        this.software = software;
        new StunBindingHandler(software); // checks the value now, not on the first loop
    }

    @Override
    public String name() {
        return "stun";
    }

    @Override
    public LoopService onLoop(EventLoop loop) {
        StunBindingHandler handler = new StunBindingHandler(software);
        return new LoopService() {
            @Override
            public void contribute(Routes routes) {
                routes.route(PacketClass.STUN, handler);
            }

            @Override
            public void close() {
                // nothing held: a Binding answer keeps no state
            }
        };
    }
}
