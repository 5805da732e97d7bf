package dev.junction.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kafka's own ProducerPerformance and ConsumerPerformance (kafka-tools 4.1.1), each run as users run them:
 * in a JVM of its own. Returns records/s as the tool itself reports it.
 */
public final class KafkaPerfTools {

    private KafkaPerfTools() {
    }

    /** Produces {@code records} records of {@code size} bytes at full speed; returns the tool's records/s. */
    public static double produce(String bootstrap, String topic, long records, int size) throws Exception {
        return producerPerformance(bootstrap, topic, records, size);
    }

    /** As {@link #produce}, in transactions of about {@code transactionMs} each. */
    public static double produceTransactionally(String bootstrap, String topic, long records, int size, int transactionMs)
            throws Exception {
        return producerPerformance(bootstrap, topic, records, size, "--transaction-duration-ms", String.valueOf(transactionMs));
    }

    private static double producerPerformance(String bootstrap, String topic, long records, int size, String... extra)
            throws Exception {
        List<String> args = new ArrayList<>(List.of("--topic", topic, "--num-records", String.valueOf(records),
                "--record-size", String.valueOf(size), "--throughput", "-1"));
        args.addAll(List.of(extra));
        args.addAll(List.of("--producer-props", "bootstrap.servers=" + bootstrap, "acks=all"));
        String out = runTool("org.apache.kafka.tools.ProducerPerformance", args.toArray(String[]::new));
        // Last summary line: "N records sent, X records/sec (Y MB/sec), ..."
        Matcher m = Pattern.compile("(\\d+) records sent, ([\\d.]+) records/sec").matcher(out);
        double rate = -1;
        while (m.find()) {
            rate = Double.parseDouble(m.group(2));
        }
        if (rate < 0) {
            throw new IllegalStateException("ProducerPerformance printed no summary:\n" + out);
        }
        return rate;
    }

    /** Consumes {@code records} records from {@code topic}; returns the tool's nMsg.sec. */
    public static double consume(String bootstrap, String topic, long records) throws Exception {
        String out = runTool("org.apache.kafka.tools.ConsumerPerformance", "--bootstrap-server", bootstrap,
                "--topic", topic, "--messages", String.valueOf(records), "--group", "perf-" + System.nanoTime(),
                "--timeout", "60000");
        // Header "start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, ..." then values.
        String[] lines = out.strip().split("\r?\n");
        for (int i = 0; i < lines.length - 1; i++) {
            if (lines[i].startsWith("start.time")) {
                String[] header = lines[i].split(",\\s*");
                String[] values = lines[i + 1].split(",\\s*");
                for (int c = 0; c < header.length; c++) {
                    if (header[c].equals("nMsg.sec")) {
                        return Double.parseDouble(values[c]);
                    }
                }
            }
        }
        throw new IllegalStateException("ConsumerPerformance printed no summary:\n" + out);
    }

    private static String runTool(String mainClass, String... args) throws IOException, InterruptedException {
        Path log = Files.createTempFile("kafka-perf", ".log");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        int code = p.waitFor();
        String out = Files.readString(log);
        Files.deleteIfExists(log);
        if (code != 0) {
            throw new IllegalStateException(mainClass + " failed with exit code " + code + ":\n" + out);
        }
        return out;
    }
}
