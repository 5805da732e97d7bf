package dev.junction.glue.topics;

/** A message as a subscriber gets it: who sent it (name and instance), its topic and type, its payload and expiry (0: none). */
public record GlueMessage(String endpointName, long senderInstance, String topic, String type, byte[] payload, long expiresAt) {
}
