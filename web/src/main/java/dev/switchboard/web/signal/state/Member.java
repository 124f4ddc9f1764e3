package dev.switchboard.web.signal.state;

/**
 * A participant of a room as the shared state knows it.
 *
 * @param id         participant id, unique across rooms
 * @param user       who (from the ticket)
 * @param tenant     their tenant (from the ticket)
 * @param node       the cluster node ({@code jboss.node.name}) whose socket it is or was on
 * @param link       the id of that socket's connection, so a stale socket cannot change a resumed participant
 * @param away       true between a dropped socket and resume (or the end of the grace period)
 * @param since      epoch ms of the last change between connected and away
 * @param joinedAt   epoch ms of the join
 * @param resumeHash SHA-256 of the current resume token (the token itself is never stored)
 */
public record Member(String id, String user, String tenant, String node, String link, boolean away, long since,
                     long joinedAt, String resumeHash) {

    public Member awayFrom(long now) {
        return new Member(id, user, tenant, node, link, true, now, joinedAt, resumeHash);
    }

    public Member attachedTo(String node, String link, String resumeHash, long now) {
        return new Member(id, user, tenant, node, link, false, now, joinedAt, resumeHash);
    }
}
