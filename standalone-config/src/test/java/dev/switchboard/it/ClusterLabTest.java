package dev.switchboard.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * A test class with a cluster of its own: its {@code @BeforeAll} starts {@link #lab}; after the class the nodes are
 * stopped, their logs kept in target/cluster-lab when a test failed. The IT classes run one after the other, so one
 * field serves them all.
 */
abstract class ClusterLabTest {

    static ClusterLab lab;
    private static boolean failed;

    @RegisterExtension
    static final TestWatcher KEEP_LOGS_ON_FAILURE = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            failed = true;
        }
    };

    @AfterAll
    static void stopCluster() {
        if (lab != null) {
            lab.close(failed);
            lab = null;
        }
        failed = false;
    }
}
