package dev.switchboard.it;

import org.junit.jupiter.api.BeforeAll;

/**
 * {@link ClusterBehaviour}'s tests on two nodes made from the build's test server with cluster.cli applied
 * ({@link ClusterLab}: TCPPING, one ticket and TURN secret, one PostgreSQL).
 */
class ClusterIT extends ClusterBehaviour {

    @BeforeAll
    static void startCluster() throws Exception {
        lab = ClusterLab.start(2, OPTIONS); // keeps the logs itself when the cluster does not form
    }
}
