package dev.switchboard.web.api;

import dev.switchboard.connector.sfu.SfuRole;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.Path;

/**
 * {@code /api/rooms/{id}/whep}: WHEP (draft-ietf-wish-whep, the client offers) viewers of an {@code sfu} room; see
 * {@link SfuEndpointResource}.
 */
@RequestScoped
@Path("/rooms/{id}/whep")
public class WhepResource extends SfuEndpointResource {

    @Override
    SfuRole role() {
        return SfuRole.VIEWER;
    }
}
