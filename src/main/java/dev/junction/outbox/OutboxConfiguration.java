package dev.junction.outbox;

import org.apache.camel.spi.Configurer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;
import org.apache.camel.spi.UriPath;

/**
 * Options of an {@code outbox:TABLE} endpoint. Component-level values (camel.component.outbox.*) are the
 * defaults; URI parameters override them per endpoint.
 */
@UriParams
@Configurer
public class OutboxConfiguration implements Cloneable {

    @UriPath(description = "Name of the outbox table") @Metadata(required = true)
    private String table = "outbox";
    @UriParam(description = "JDBC URL of the outbox database (jdbc:postgresql:, jdbc:mariadb:, jdbc:mysql:)")
    private String url;
    @UriParam(label = "security", secret = true, description = "Database user")
    private String user;
    @UriParam(label = "security", secret = true, description = "Database password")
    private String password;
    @UriParam(label = "consumer", description = "Kafka bootstrap servers the relay publishes to")
    private String brokers;
    @UriParam(label = "consumer", defaultValue = "outbox.event.${aggregate_type}", description = "Topic of a row whose topic column is empty; ${aggregate_type} is replaced by the row's")
    private String topicPattern = "outbox.event.${aggregate_type}";
    @UriParam(label = "consumer", defaultValue = "outbox.dlq", description = "Topic that receives rows Kafka can never accept, after maxAttempts")
    private String deadLetterTopic = "outbox.dlq";
    @UriParam(label = "consumer", defaultValue = "1000", description = "Rows claimed and published per transaction")
    private int batchSize = 1000;
    @UriParam(label = "consumer", defaultValue = "100", description = "Longest wait between polls when the table is idle, in milliseconds")
    private long pollIntervalMs = 100;
    @UriParam(label = "consumer", defaultValue = "true", description = "PostgreSQL: wake up on NOTIFY from the insert trigger")
    private boolean listenNotify = true;
    @UriParam(label = "consumer", defaultValue = "5", description = "Attempts before a poison row is dead-lettered")
    private int maxAttempts = 5;
    @UriParam(label = "consumer", defaultValue = "100", description = "First backoff after a failed attempt, in milliseconds; doubles each attempt")
    private long retryBackoffMs = 100;
    @UriParam(label = "consumer", defaultValue = "30000", description = "Longest backoff between attempts, in milliseconds")
    private long retryBackoffMaxMs = 30_000;
    @UriParam(label = "consumer", defaultValue = "false", description = "Delete each row once Kafka acknowledged it instead of"
            + " setting published_at: about twice the throughput on PostgreSQL, but no published rows are kept for the retention")
    private boolean deletePublished;
    @UriParam(label = "consumer", defaultValue = "1048576", description = "Largest record Kafka accepts (max.request.size); larger rows are poison")
    private int maxRecordBytes = 1_048_576;
    @UriParam(label = "consumer", description = "Name of the leader lock; default junction-outbox-TABLE")
    private String lockName;
    @UriParam(label = "consumer", defaultValue = "2000", description = "How often backlog and oldest age are measured, in milliseconds")
    private long metricsIntervalMs = 2000;
    @UriParam(label = "producer", defaultValue = "cleanup", enums = "cleanup,optimize,init-schema,failed,requeue,skip", description = "Maintenance operation the producer runs")
    private String operation = "cleanup";
    @UriParam(label = "producer", defaultValue = "3600000", description = "Cleanup deletes rows published longer ago than this, in milliseconds")
    private long retentionMs = 3_600_000;
    @UriParam(label = "producer", defaultValue = "1000", description = "Rows deleted per cleanup transaction")
    private int cleanupBatchSize = 1000;
    @UriParam(label = "consumer", defaultValue = "outbox-relay", description = "Flow name in metrics")
    private String flow = "outbox-relay";

    /** The settings that name an outbox table; every other option keeps its default. */
    public static OutboxConfiguration of(String url, String user, String password, String table) {
        OutboxConfiguration c = new OutboxConfiguration();
        c.setUrl(url);
        c.setUser(user);
        c.setPassword(password);
        c.setTable(table);
        return c;
    }

    public OutboxConfiguration copy() {
        try {
            return (OutboxConfiguration) clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The leader lock's name: one relay per table and database publishes at a time. */
    public String effectiveLockName() {
        return lockName != null && !lockName.isBlank() ? lockName : "junction-outbox-" + table;
    }

    public String getTable() { return table; }
    public void setTable(String table) { this.table = table; }
    public String getUrl() { return url; }
    public void setUrl(String url) { this.url = url; }
    public String getUser() { return user; }
    public void setUser(String user) { this.user = user; }
    public String getPassword() { return password; }
    public void setPassword(String password) { this.password = password; }
    public String getBrokers() { return brokers; }
    public void setBrokers(String brokers) { this.brokers = brokers; }
    public String getTopicPattern() { return topicPattern; }
    public void setTopicPattern(String topicPattern) { this.topicPattern = topicPattern; }
    public String getDeadLetterTopic() { return deadLetterTopic; }
    public void setDeadLetterTopic(String deadLetterTopic) { this.deadLetterTopic = deadLetterTopic; }
    public int getBatchSize() { return batchSize; }
    public void setBatchSize(int batchSize) { this.batchSize = batchSize; }
    public long getPollIntervalMs() { return pollIntervalMs; }
    public void setPollIntervalMs(long pollIntervalMs) { this.pollIntervalMs = pollIntervalMs; }
    public boolean isListenNotify() { return listenNotify; }
    public void setListenNotify(boolean listenNotify) { this.listenNotify = listenNotify; }
    public int getMaxAttempts() { return maxAttempts; }
    public void setMaxAttempts(int maxAttempts) { this.maxAttempts = maxAttempts; }
    public long getRetryBackoffMs() { return retryBackoffMs; }
    public void setRetryBackoffMs(long retryBackoffMs) { this.retryBackoffMs = retryBackoffMs; }
    public long getRetryBackoffMaxMs() { return retryBackoffMaxMs; }
    public void setRetryBackoffMaxMs(long retryBackoffMaxMs) { this.retryBackoffMaxMs = retryBackoffMaxMs; }
    public boolean isDeletePublished() { return deletePublished; }
    public void setDeletePublished(boolean deletePublished) { this.deletePublished = deletePublished; }
    public int getMaxRecordBytes() { return maxRecordBytes; }
    public void setMaxRecordBytes(int maxRecordBytes) { this.maxRecordBytes = maxRecordBytes; }
    public String getLockName() { return lockName; }
    public void setLockName(String lockName) { this.lockName = lockName; }
    public long getMetricsIntervalMs() { return metricsIntervalMs; }
    public void setMetricsIntervalMs(long metricsIntervalMs) { this.metricsIntervalMs = metricsIntervalMs; }
    public String getOperation() { return operation; }
    public void setOperation(String operation) { this.operation = operation; }
    public long getRetentionMs() { return retentionMs; }
    public void setRetentionMs(long retentionMs) { this.retentionMs = retentionMs; }
    public int getCleanupBatchSize() { return cleanupBatchSize; }
    public void setCleanupBatchSize(int cleanupBatchSize) { this.cleanupBatchSize = cleanupBatchSize; }
    public String getFlow() { return flow; }
    public void setFlow(String flow) { this.flow = flow; }
}
