package dev.junction.outbox;

/**
 * Options of an {@code outbox:TABLE} endpoint. Component-level values (camel.component.outbox.*) are the
 * defaults; URI parameters override them per endpoint.
 */
public class OutboxConfiguration implements Cloneable {

    private String table = "outbox";
    private String url;
    private String user;
    private String password;
    private String brokers;
    private String topicPattern = "outbox.event.${aggregate_type}";
    private String deadLetterTopic = "outbox.dlq";
    private int batchSize = 1000;
    private long pollIntervalMs = 100;
    private boolean listenNotify = true;
    private int maxAttempts = 5;
    private long retryBackoffMs = 100;
    private long retryBackoffMaxMs = 30_000;
    private int maxRecordBytes = 1_048_576;
    private String lockName;
    private long metricsIntervalMs = 2000;
    private String operation = "cleanup";
    private long retentionMs = 3_600_000;
    private int cleanupBatchSize = 1000;
    private String flow = "outbox-relay";

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
