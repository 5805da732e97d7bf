package dev.junction.outbox;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.junction.support.JunctionException;
import dev.junction.support.KafkaCluster;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the relay for one table on a thread of its own. After each published batch it sends one exchange into the
 * route: body = number of rows published, headers with the id range, so the route can count and log.
 */
public class OutboxConsumer extends DefaultConsumer {

    public static final String HEADER_PUBLISHED = OutboxConstants.PUBLISHED;
    public static final String HEADER_FIRST_ID = OutboxConstants.FIRST_ID;
    public static final String HEADER_LAST_ID = OutboxConstants.LAST_ID;
    /** camel-micrometer reads this header as a counter's increment. */
    private static final String MICROMETER_INCREMENT = "CamelMetricsCounterIncrement";
    private static final Logger LOG = LoggerFactory.getLogger(OutboxConsumer.class);

    private OutboxRelay relay;
    private OutboxPublisher publisher;
    private OutboxHealthCheck health;
    private ExecutorService relayThread;
    private ScheduledExecutorService metricsTimer;

    public OutboxConsumer(OutboxEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
    }

    @Override
    public OutboxEndpoint getEndpoint() {
        return (OutboxEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        OutboxConfiguration config = getEndpoint().getConfiguration();
        if (config.getBrokers() == null || config.getBrokers().isBlank()) {
            throw new JunctionException("the outbox relay has no Kafka brokers; set KAFKA_BOOTSTRAP or the brokers option");
        }
        OutboxDatabase database = new OutboxDatabase(config);
        database.verify();
        OutboxMetrics metrics = new OutboxMetrics(getEndpoint().getCamelContext(), config.getFlow(), config.getTable(),
                database.table().dialect().name());
        publisher = new OutboxPublisher(KafkaCluster.of(KafkaCluster.DEFAULT, config.getBrokers(), getEndpoint().getCamelContext()),
                new OutboxRecordMapper(config.getTopicPattern(), config.getMaxRecordBytes()),
                config.getDeadLetterTopic(), config.getMaxRecordBytes());
        relay = new OutboxRelay(config, database, publisher, metrics, this::emit);
        health = new OutboxHealthCheck(config.getFlow() + "-" + getEndpoint().getId(), database, Duration.ofSeconds(2),
                metrics::blockedTopics);
        HealthCheckRegistry.get(getEndpoint().getCamelContext()).register(health);

        var executors = getEndpoint().getCamelContext().getExecutorServiceManager();
        relayThread = executors.newSingleThreadExecutor(this, "OutboxRelay[" + config.getTable() + "]");
        relayThread.submit(relay);
        OutboxMaintenance maintenance = new OutboxMaintenance(config);
        metricsTimer = executors.newSingleThreadScheduledExecutor(this, "OutboxMetrics[" + config.getTable() + "]");
        metricsTimer.scheduleWithFixedDelay(() -> {
            try {
                long[] b = maintenance.backlog();
                metrics.backlog(b[0], b[1]);
            } catch (Exception e) {
                LOG.debug("Outbox backlog query failed: {}", e.getMessage());
            }
        }, 0, config.getMetricsIntervalMs(), TimeUnit.MILLISECONDS);
    }

    private void emit(OutboxPublisher.Outcome outcome) {
        Exchange exchange = createExchange(false);
        try {
            int n = outcome.publishedIds().size();
            exchange.getMessage().setBody(n);
            exchange.getMessage().setHeader(HEADER_PUBLISHED, n);
            exchange.getMessage().setHeader(MICROMETER_INCREMENT, n);
            exchange.getMessage().setHeader(HEADER_FIRST_ID, outcome.publishedIds().get(0));
            exchange.getMessage().setHeader(HEADER_LAST_ID, outcome.publishedIds().get(n - 1));
            getProcessor().process(exchange);
            if (exchange.getException() != null) {
                getExceptionHandler().handleException("Outbox batch route step failed", exchange, exchange.getException());
            }
        } catch (Exception e) {
            getExceptionHandler().handleException("Outbox batch route step failed", exchange, e);
        } finally {
            releaseExchange(exchange, false);
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (relay != null) {
            relay.stop();
        }
        var executors = getEndpoint().getCamelContext().getExecutorServiceManager();
        if (metricsTimer != null) {
            executors.shutdownNow(metricsTimer);
        }
        if (relayThread != null) {
            executors.shutdownGraceful(relayThread, 30_000);
        }
        if (publisher != null) {
            publisher.close();
        }
        if (health != null) {
            HealthCheckRegistry.get(getEndpoint().getCamelContext()).unregister(health);
        }
        super.doStop();
    }

    boolean isLeader() {
        return relay != null && relay.isLeader();
    }
}
