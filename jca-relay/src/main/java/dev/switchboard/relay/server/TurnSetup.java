package dev.switchboard.relay.server;

import dev.switchboard.relay.turn.TurnConfig;
import dev.switchboard.relay.turn.TurnObserver;
import dev.switchboard.relay.turn.auth.CompositeCredentials;
import dev.switchboard.relay.turn.auth.CredentialStore;
import dev.switchboard.relay.turn.auth.RestApiCredentials;
import dev.switchboard.relay.turn.auth.StaticCredentials;
import dev.switchboard.relay.turn.policy.DefaultPeerPolicy;
import dev.switchboard.relay.turn.policy.ServerAddresses;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Turns the operator's TURN settings into the TURN server's configuration: credentials, peer policy, relay. */
final class TurnSetup {

    private TurnSetup() {
    }

    /**
     * @param secrets the REST-API secrets in force, newest first: the configured ones, or the random one of this
     *                start that only the relay's own minting knows
     */
    static TurnConfig turnConfig(RelayConfig config, CredentialStore applicationKeys, List<String> secrets,
                                 TurnObserver observer) {
        return turnConfig(config, applicationKeys,
                secrets.isEmpty() ? null : new RestApiCredentials(config.turn().realm(), secrets), observer);
    }

    /** @param restCredentials the REST-API credentials (whose secrets may be rotated later), or null for none */
    static TurnConfig turnConfig(RelayConfig config, CredentialStore applicationKeys,
                                 RestApiCredentials restCredentials, TurnObserver observer) {
        RelayConfig.TurnSettings t = config.turn();
        return TurnConfig.builder()
                .realm(t.realm())
                .credentials(credentials(t, applicationKeys, restCredentials))
                .peerPolicy(DefaultPeerPolicy.of(t.allowPeers(), t.denyPeers(), ownAddresses(config),
                        relayAddresses(config)))
                .relayAddresses(config.relayAddresses())
                .externalAddresses(t.externalAddresses())
                .serviceAddresses(SfuCandidates.listening(config))
                .portRange(t.minPort(), t.maxPort())
                .maxAllocations(t.maxAllocations())
                .maxAllocationsPerUser(t.maxAllocationsPerUser())
                .defaultLifetime(Duration.ofSeconds(t.defaultLifetime()))
                .maxLifetime(Duration.ofSeconds(t.maxLifetime()))
                .unauthenticatedRate(t.unauthenticatedRate())
                .unauthenticatedBurst(t.unauthenticatedBurst())
                .unauthenticatedReplyFactor(t.replyFactor())
                .maxBitsPerSecond(t.maxBitsPerSecond())
                .tcpConnectTimeout(Duration.ofSeconds(t.tcpConnectTimeout()))
                .maxTcpConnectionsPerAllocation(t.maxTcpConnections())
                .software(config.software())
                .observer(observer)
                .build();
    }

    /**
     * Static users first (the operator's word wins), then the application's database users, then REST-API
     * secrets, so a configured name that looks like a REST-API username keeps its own password.
     */
    static CredentialStore credentials(RelayConfig.TurnSettings t, CredentialStore applicationKeys,
                                       RestApiCredentials restCredentials) {
        List<CredentialStore> stores = new ArrayList<>();
        if (!t.users().isEmpty()) {
            stores.add(StaticCredentials.parse(t.realm(), String.join(",", t.users())));
        }
        stores.add(applicationKeys);
        if (restCredentials != null) {
            stores.add(restCredentials);
        }
        return CompositeCredentials.of(stores);
    }

    /**
     * The server's listening and relay addresses (wildcards expanded to the host's) and its public addresses behind a
     * 1:1 NAT, which peers may not target: the NAT forwards every port of a public address to the server.
     */
    private static List<InetAddress> ownAddresses(RelayConfig config) {
        Set<InetAddress> own = new LinkedHashSet<>(config.bindAddresses());
        own.addAll(relayAddresses(config));
        return ServerAddresses.withInterfaceAddresses(own);
    }

    /** The relay addresses, private and public: another allocation's relayed address may be either. */
    private static List<InetAddress> relayAddresses(RelayConfig config) {
        Set<InetAddress> relay = new LinkedHashSet<>(config.relayAddresses());
        relay.addAll(config.turn().externalAddresses().publicAddresses());
        return List.copyOf(relay);
    }
}
