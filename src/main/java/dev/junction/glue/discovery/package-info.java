/**
 * glue's discovery layer: each endpoint announces itself (name, data port, subscriptions) every
 * GLUE_DISCOVERY_RATE_MILLISECONDS to a multicast group, or to a rendezvous point that answers with the peers it
 * knows; a peer not heard of for its rate x GLUE_DISCOVERY_RATE_TIMEOUT_MULTIPLIER expires.
 */
package dev.junction.glue.discovery;
