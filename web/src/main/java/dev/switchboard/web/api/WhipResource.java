package dev.switchboard.web.api;

import dev.switchboard.connector.sfu.SfuRole;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.Path;

/** {@code /api/rooms/{id}/whip}: WHIP (RFC 9725) publishers into an {@code sfu} room; see {@link SfuEndpointResource}. */
@RequestScoped
@Path("/rooms/{id}/whip")
public class WhipResource extends SfuEndpointResource {

    @Override
    SfuRole role() {
        return SfuRole.PUBLISHER;
    }
}
