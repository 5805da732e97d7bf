package dev.junction.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import dev.junction.infra.Ports;

/**
 * A Kafka Connect standalone worker ({@code connect-runtime}'s ConnectStandalone) in a JVM of its own, as users run
 * Debezium: one connector, file offsets that survive a restart, producer settings a user would tune for throughput.
 */
final class KafkaConnectWorker implements AutoCloseable {

    private final Process process;
    private final Path log;

    private KafkaConnectWorker(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts a worker with {@code connector} in {@code dir} (its offsets file is kept there between starts). */
    static KafkaConnectWorker start(Path dir, String bootstrap, Map<String, String> connector) {
        return start(dir, bootstrap, List.of(connector));
    }

    /** A worker with several connectors (a source and a sink, say), each with its own properties file. */
    static KafkaConnectWorker start(Path dir, String bootstrap, List<Map<String, String>> connectors) {
        try {
            Files.createDirectories(dir);
            Properties worker = new Properties();
            worker.put("bootstrap.servers", bootstrap);
            worker.put("offset.storage.file.filename", dir.resolve("connect.offsets").toString());
            worker.put("offset.flush.interval.ms", "1000");
            worker.put("listeners", "http://localhost:" + Ports.freePort());
            worker.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
            // The router's value is the payload column (bytea / longblob): its bytes as they are.
            worker.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
            worker.put("plugin.discovery", "only_scan");
            // Throughput settings as a user tunes them (acks=all and idempotence are Connect's defaults).
            worker.put("producer.linger.ms", "5");
            worker.put("producer.batch.size", "262144");
            worker.put("producer.buffer.memory", "67108864");
            worker.put("producer.max.in.flight.requests.per.connection", "5");
            Path workerFile = dir.resolve("worker.properties");
            store(worker, workerFile);
            Path log = dir.resolve("connect-" + System.nanoTime() + ".log");
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx1g", "-cp", System.getProperty("java.class.path"), "org.apache.kafka.connect.cli.ConnectStandalone",
                    workerFile.toString()));
            for (int i = 0; i < connectors.size(); i++) {
                Path connectorFile = dir.resolve("connector-" + i + ".properties");
                Properties c = new Properties();
                c.putAll(connectors.get(i));
                store(c, connectorFile);
                cmd.add(connectorFile.toString());
            }
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            return new KafkaConnectWorker(p, log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void store(Properties p, Path file) throws IOException {
        try (var out = Files.newBufferedWriter(file)) {
            p.store(out, null);
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Path log() {
        return log;
    }

    /** SIGTERM: the worker stops its task and writes its offsets, as an operator's restart does. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
