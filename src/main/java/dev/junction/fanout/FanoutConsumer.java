package dev.junction.fanout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;

import dev.junction.fanout.protocol.Frame;
import dev.junction.observe.FlowMetrics;
import dev.junction.support.JunctionException;
import dev.junction.support.KafkaCluster;
import io.micrometer.core.instrument.Counter;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.support.DefaultConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * The Kafka side of a fanout daemon: runs the leader election and, while leading, the {@link RecordPoller}. The
 * records of each poll are routed asynchronously in exchanges of up to {@code batchSize} records (a
 * {@code List<FanoutRecord>} body), to {@code fanout:} producers through a load balancer. A record counts as done,
 * and its offset may be committed, when a client acknowledged it, or when its exchange completes after the route's
 * error handler dead-lettered it.
 */
public class FanoutConsumer extends DefaultConsumer implements RecordPoller.Sink {

    /** A record read, until it is done: acknowledged, or dead-lettered. */
    private static final class Held {
        final ConsumerRecord<byte[], byte[]> record;
        final PartitionOffsets.Track track;
        final FanoutRecord fanoutRecord;
        volatile boolean done;

        Held(ConsumerRecord<byte[], byte[]> record, PartitionOffsets.Track track, FanoutConsumer consumer) {
            this.record = record;
            this.track = track;
            List<Frame.Header> headers = new ArrayList<>();
            for (Header h : record.headers()) {
                headers.add(new Frame.Header(h.key(), h.value()));
            }
            this.fanoutRecord = new FanoutRecord(record.topic(), record.partition(), record.offset(), record.key(),
                    headers, record.value(), () -> consumer.done(this));
        }
    }

    private FanoutService service;
    private LeaderElection election;
    private RecordPoller poller;
    private KeyOrder<Held> keyOrder;
    private FanoutHealthCheck health;
    private FanoutMetrics metrics;
    private Counter delivered;
    private ExecutorService threads;
    private int batchSize;
    /** The batch the poll thread is filling. */
    private List<Held> batch = new ArrayList<>();

    public FanoutConsumer(FanoutEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
    }

    @Override
    public FanoutEndpoint getEndpoint() {
        return (FanoutEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        FanoutConfiguration config = getEndpoint().getConfiguration();
        if (config.getTopic() == null || config.getTopic().isBlank()) {
            throw new JunctionException("fanout " + config.getId() + " has no topic; set fanout.topic (FANOUT_TOPIC) or --topic");
        }
        if (config.getBrokers() == null || config.getBrokers().isBlank()) {
            throw new JunctionException("fanout " + config.getId() + " has no Kafka brokers; set KAFKA_BOOTSTRAP or the brokers option");
        }
        if (config.getBatchSize() < 1) {
            throw new JunctionException("fanout " + config.getId() + ": batch size " + config.getBatchSize()
                    + " is below 1; set fanout.batch-size (FANOUT_BATCH_SIZE) to 1 or more");
        }
        batchSize = config.getBatchSize();
        var camel = getEndpoint().getCamelContext();
        KafkaCluster cluster = KafkaCluster.of(KafkaCluster.DEFAULT, config.getBrokers(), camel);
        service = getEndpoint().getComponent().acquire(config);
        service.electionStarted();
        keyOrder = config.isOrderByKey() ? new KeyOrder<>() : null;
        election = new LeaderElection(config, cluster, service);
        poller = new RecordPoller(config, cluster, service, this);
        delivered = FlowMetrics.records(camel, "fanout");
        metrics = new FanoutMetrics(FlowMetrics.registry(camel), config.getId(), service, poller);
        health = new FanoutHealthCheck("fanout-" + config.getId(), service, poller);
        HealthCheckRegistry.get(camel).register(health);
        threads = camel.getExecutorServiceManager().newFixedThreadPool(this, "Fanout[" + config.getId() + "]", 2);
        threads.submit(election);
        threads.submit(poller);
    }

    @Override
    protected void doStop() throws Exception {
        if (poller != null) {
            poller.stop();
            election.stop();
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownGraceful(threads, 15_000);
        }
        if (health != null) {
            HealthCheckRegistry.get(getEndpoint().getCamelContext()).unregister(health);
            metrics.close();
        }
        if (service != null) {
            getEndpoint().getComponent().release(service);
            service = null;
        }
        super.doStop();
    }

    /** The poll thread read a record: it joins the batch now, or waits behind the record of its key that is out. */
    @Override
    public void accept(ConsumerRecord<byte[], byte[]> record, PartitionOffsets.Track track) {
        Held held = new Held(record, track, this);
        if (keyOrder == null || keyOrder.admit(record.key(), held)) {
            batch.add(held);
            if (batch.size() >= batchSize) {
                endOfPoll();
            }
        }
    }

    /** The poll thread's batch goes out, full or not: a record never waits for the next poll. */
    @Override
    public void endOfPoll() {
        if (!batch.isEmpty()) {
            List<Held> full = batch;
            batch = new ArrayList<>(batchSize);
            send(full);
        }
    }

    private void send(List<Held> helds) {
        List<FanoutRecord> records = new ArrayList<>(helds.size());
        for (Held held : helds) {
            records.add(held.fanoutRecord);
        }
        Exchange exchange = createExchange(false);
        exchange.getMessage().setBody(records);
        getAsyncProcessor().process(exchange, doneSync -> finished(exchange, helds));
    }

    /** A client acknowledged the record (on the daemon's completion thread), or it was dead-lettered. */
    private void done(Held held) {
        held.done = true;
        held.track.done(held.record.offset());
        delivered.increment();
        releaseKey(held);
    }

    /**
     * The exchange of these records completed: those given up on were dead-lettered, unless the exchange failed
     * (the dead-letter topic too); the ones let go because this daemon stopped leading stay for the leader.
     */
    private void finished(Exchange exchange, List<Held> helds) {
        Exception failure = exchange.getException();
        List<Held> open = new ArrayList<>();
        for (Held held : helds) {
            if (held.done) {
                continue;
            }
            if (held.fanoutRecord.getFailure() != null && failure == null) {
                done(held); // dead-lettered: it no longer holds the commit back
            } else {
                open.add(held); // stays uncommitted, for a restart or the leader; its key's next record may go
                releaseKey(held);
            }
        }
        if (failure != null && !open.isEmpty()) {
            getExceptionHandler().handleException("fanout: " + open.size() + " record(s), the first " + open.get(0).fanoutRecord
                    + ", were neither delivered nor dead-lettered; they stay uncommitted", exchange, failure);
        }
        releaseExchange(exchange, false);
    }

    /** With per-key order, the next record of the key goes out. */
    private void releaseKey(Held held) {
        if (keyOrder != null) {
            Held next = keyOrder.finished(held.record.key());
            if (next != null) {
                send(List.of(next));
            }
        }
    }
}
