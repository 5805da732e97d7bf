/**
 * glue's transport layer: a reliable stream of DATA frames from one endpoint instance to one peer instance.
 * Sequences start at 0 per stream; the receiver acknowledges cumulatively with ranges above (selective acks), the
 * sender resends what is not acknowledged after a timeout that follows the measured round trip and backs off per
 * attempt, and forgets frames that expired (telling the receiver to skip them). Each stream has a bounded buffer on
 * both sides, so a slow or dead peer holds at most that much and never stalls the streams to other peers.
 */
package dev.junction.glue.transport;
