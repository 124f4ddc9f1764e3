package dev.switchboard.connector.outbound;

import jakarta.resource.Referenceable;
import jakarta.resource.ResourceException;

import java.io.Serializable;

/**
 * What application code looks up (JNDI {@value #JNDI_NAME}, or {@code @Resource(lookup = ...)}) to drive the relay.
 */
public interface RelayConnectionFactory extends Serializable, Referenceable {

    String JNDI_NAME = "java:/eis/switchboard/Relay";

    RelayConnection getConnection() throws ResourceException;
}
