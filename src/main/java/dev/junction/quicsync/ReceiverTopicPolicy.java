package dev.junction.quicsync;

import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import dev.junction.support.JunctionException;

/**
 * Which topics a sender may write to through the receiver. Never Kafka's internal topics ({@code __consumer_offsets},
 * {@code __transaction_state}, any {@code __*}), nor the receiver's own offsets topic (forged offsets would make it
 * skip real batches), nor what the deny pattern names. The source topic and the destination topic (with the prefix)
 * are both checked, before anything is created or written.
 */
final class ReceiverTopicPolicy {

    private final String topicPrefix;
    private final String offsetsTopic;
    private final Pattern deny;

    ReceiverTopicPolicy(String topicPrefix, String offsetsTopic, String denyPattern) {
        this.topicPrefix = topicPrefix;
        this.offsetsTopic = offsetsTopic;
        try {
            this.deny = denyPattern == null || denyPattern.isBlank() ? null : Pattern.compile(denyPattern);
        } catch (PatternSyntaxException e) {
            throw new JunctionException("quic-sync.receiver.deny-topics is not a regular expression: " + e.getDescription()
                    + " at index " + e.getIndex() + " of '" + denyPattern + "'");
        }
    }

    /** Why the sender may not use {@code sourceTopic}, or empty when it may. */
    Optional<String> refusal(String sourceTopic) {
        String destination = topicPrefix + sourceTopic;
        for (String topic : new String[] {sourceTopic, destination}) {
            if (topic.startsWith("__")) {
                return Optional.of("topic " + topic + " is internal to Kafka (__*) and is never mirrored");
            }
            if (topic.equals(offsetsTopic)) {
                return Optional.of("topic " + topic + " is the receiver's own offsets topic (quic-sync.offsets-topic)");
            }
            if (deny != null && deny.matcher(topic).matches()) {
                return Optional.of("topic " + topic + " matches quic-sync.receiver.deny-topics (" + deny.pattern() + ")");
            }
        }
        return Optional.empty();
    }
}
