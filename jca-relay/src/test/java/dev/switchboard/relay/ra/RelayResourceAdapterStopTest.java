package dev.switchboard.relay.ra;

import jakarta.resource.spi.BootstrapContext;
import jakarta.resource.spi.work.WorkManager;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code stop()} returns only once the WorkManager has every relay Work back. WildFly stops its JCA thread pool soon
 * after the adapter's {@code stop()}; a Work still unwinding then makes the pool log "Maximum permit count exceeded".
 */
class RelayResourceAdapterStopTest {

    @Test
    void stopReturnsAfterTheWorkManagerHasTakenBackEveryWork() throws Exception {
        LaggingWorkManager wm = new LaggingWorkManager(300);
        // no sockets: the event loop and the event dispatcher are the Works under test
        RelayResourceAdapter ra = new RelayResourceAdapter(Map.of("switchboard.stun.port", "0",
                "switchboard.stun.tcp.port", "0", "switchboard.turn.tls.port", "0")::get);
        ra.start(bootstrap(wm));
        assertTrue(wm.started.get() >= 2, "the event loop and the dispatcher run as Works: " + wm.started.get());

        ra.stop();
        assertEquals(wm.started.get(), wm.handedBack.get(), "stop() returned while the pool still ran relay Work");
    }

    static BootstrapContext bootstrap(WorkManager wm) {
        return (BootstrapContext) Proxy.newProxyInstance(BootstrapContext.class.getClassLoader(),
                new Class<?>[]{BootstrapContext.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getWorkManager" -> wm;
                    case "isContextSupported" -> false;
                    case "createTimer" -> new java.util.Timer(true); // the REST-secrets watch; stop() cancels it
                    case "toString" -> "test bootstrap context";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
