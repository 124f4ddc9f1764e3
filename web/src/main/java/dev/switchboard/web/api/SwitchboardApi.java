package dev.switchboard.web.api;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The management and status API lives under /api; resources and mappers are discovered by scanning. */
@ApplicationPath("/api")
public class SwitchboardApi extends Application {
}
