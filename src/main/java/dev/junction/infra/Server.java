package dev.junction.infra;

/** A server a flow needs. Junction starts an embedded one when none is configured. */
public enum Server {
    KAFKA("Kafka"),
    POSTGRESQL("PostgreSQL"),
    MARIADB("MariaDB"),
    /** A second Kafka cluster, the remote site of a flow that links two clusters (the demo starts one). */
    SECOND_KAFKA_CLUSTER("a second Kafka cluster");

    private final String label;

    Server(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
