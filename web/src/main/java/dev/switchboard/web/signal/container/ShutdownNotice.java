package dev.switchboard.web.signal.container;

import jakarta.enterprise.inject.spi.CDI;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;

import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Closes every signaling socket with 1001 {@code server-shutdown} when the application stops, before Undertow does:
 * its WebSocket container closes the sessions it still holds with 1001 and an empty reason from its own context
 * listener, which runs before any listener the application declares and long before CDI's {@code @PreDestroy}.
 * Listeners end in the reverse order of their registration, and one registered here — by an initializer, the
 * only place a context listener may be added from — comes after Undertow's.
 */
public class ShutdownNotice implements ServletContainerInitializer {

    private static final Logger LOG = Logger.getLogger(ShutdownNotice.class.getName());

    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext context) {
        context.addListener(new Listener());
    }

    /** Does the closing; a class of its own, as the container expects of listeners. */
    public static final class Listener implements ServletContextListener {
        @Override
        public void contextDestroyed(ServletContextEvent event) {
            try {
                CDI.current().select(SignalingHub.class).get().core().shutdown();
            } catch (RuntimeException | LinkageError e) { // nothing to close must not hold up the undeploy
                LOG.log(Level.FINE, "No signaling to close at shutdown", e);
            }
        }
    }
}
