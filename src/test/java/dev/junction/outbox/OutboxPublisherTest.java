package dev.junction.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.UnknownProducerIdException;
import org.junit.jupiter.api.Test;

/** Which send failures make a row poison (dead-lettered after its attempts) and which only delay it. */
class OutboxPublisherTest {

    @Test
    void theProducersOwnStateErrorsNeverMakeARowPoison() {
        // KAFKA-15591: a just-created partition can refuse an idempotent producer's batches with these.
        assertThat(OutboxPublisher.isTransient(new OutOfOrderSequenceException("seq"))).isTrue();
        assertThat(OutboxPublisher.isTransient(new UnknownProducerIdException("pid"))).isTrue();
        assertThat(OutboxPublisher.isTransient(new InvalidProducerEpochException("epoch"))).isTrue();
        assertThat(OutboxPublisher.isTransient(new NotLeaderOrFollowerException("leader"))).isTrue();
    }

    @Test
    void errorsAboutTheRowItselfMakeItPoison() {
        assertThat(OutboxPublisher.isTransient(new RecordTooLargeException("too large"))).isFalse();
        assertThat(OutboxPublisher.isTransient(new InvalidTopicException("bad topic"))).isFalse();
    }
}
