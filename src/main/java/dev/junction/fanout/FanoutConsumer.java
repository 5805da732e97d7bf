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
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.support.DefaultConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * The Kafka side of a fanout daemon: runs the leader election and, while leading, the {@link RecordPoller}. Each
 * record becomes one exchange routed asynchronously (to {@code fanout:} producers, through a load balancer); the
 * record counts as done, and its offset may be committed, when its exchange completes: acknowledged by a client or
 * dead-lettered by the route's error handler.
 */
public class FanoutConsumer extends DefaultConsumer {

    private record Held(ConsumerRecord<byte[], byte[]> record, PartitionOffsets.Track track) {
    }

    private FanoutService service;
    private LeaderElection election;
    private RecordPoller poller;
    private KeyOrder<Held> keyOrder;
    private FanoutHealthCheck health;
    private FanoutMetrics metrics;
    private Counter delivered;
    private ExecutorService threads;

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
        var camel = getEndpoint().getCamelContext();
        KafkaCluster cluster = KafkaCluster.of(KafkaCluster.DEFAULT, config.getBrokers(), camel);
        service = getEndpoint().getComponent().acquire(config);
        service.electionStarted();
        keyOrder = config.isOrderByKey() ? new KeyOrder<>() : null;
        election = new LeaderElection(config, cluster, service);
        poller = new RecordPoller(config, cluster, service, this::read);
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

    /** The poll thread read a record: it goes out now, or after the record of its key that is out. */
    private void read(ConsumerRecord<byte[], byte[]> record, PartitionOffsets.Track track) {
        Held held = new Held(record, track);
        if (keyOrder == null || keyOrder.admit(record.key(), held)) {
            send(held);
        }
    }

    private void send(Held held) {
        ConsumerRecord<byte[], byte[]> record = held.record();
        Exchange exchange = createExchange(false);
        Message message = exchange.getMessage();
        message.setHeader(FanoutConstants.TOPIC, record.topic());
        message.setHeader(FanoutConstants.PARTITION, record.partition());
        message.setHeader(FanoutConstants.OFFSET, record.offset());
        message.setHeader(FanoutConstants.KEY, record.key());
        List<Frame.Header> headers = new ArrayList<>();
        for (Header h : record.headers()) {
            headers.add(new Frame.Header(h.key(), h.value()));
        }
        message.setHeader(FanoutConstants.RECORD_HEADERS, headers);
        message.setBody(record.value());
        getAsyncProcessor().process(exchange, doneSync -> finished(exchange, held));
    }

    private void finished(Exchange exchange, Held held) {
        ConsumerRecord<byte[], byte[]> record = held.record();
        if (exchange.getException() != null) {
            // Neither delivered nor dead-lettered: the offset stays uncommitted, so a restart reads the record again.
            getExceptionHandler().handleException("fanout: " + record.topic() + "-" + record.partition() + "@"
                    + record.offset() + " was neither delivered nor dead-lettered; it stays uncommitted", exchange,
                    exchange.getException());
        } else {
            if (!exchange.isRouteStop()) {
                delivered.increment();
            }
            held.track().done(record.offset());
        }
        releaseExchange(exchange, false);
        if (keyOrder != null) {
            Held next = keyOrder.finished(record.key());
            if (next != null) {
                send(next);
            }
        }
    }
}
