package dev.junction.fanout.plugin;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

import dev.junction.config.JunctionConfig;
import dev.junction.fanout.client.FanoutClient;
import dev.junction.flow.FlowCommand;
import dev.junction.infra.Infrastructure;
import dev.junction.support.JunctionException;

/**
 * {@code fanout-client --server host:port [--name n] [--group canary] [--max-in-flight 100]}: connects to a fanout
 * daemon, prints each record it receives (one line: topic-partition@offset, attempt, key, value) and acks it,
 * until Ctrl-C.
 */
final class FanoutClientCommand implements FlowCommand {

    private static final Set<String> OPTIONS = Set.of("server", "name", "group", "max-in-flight", "token", "trust-cert-file");

    @Override
    public String name() {
        return "fanout-client";
    }

    @Override
    public String help() {
        return "--server host:port[,host:port] [--name N] [--group canary] [--max-in-flight 100] [--token T] [--trust-cert-file PEM]  "
                + "print and ack what a fanout daemon delivers, until Ctrl-C";
    }

    @Override
    public void run(List<String> arguments, JunctionConfig config, Infrastructure infra, PrintStream out) {
        Map<String, String> options = CommandOptions.parse(name(), arguments, OPTIONS);
        if (!options.containsKey("server")) {
            throw new JunctionException("fanout-client needs --server host:port (the daemon's fanout.port)");
        }
        int maxInFlight;
        try {
            maxInFlight = Integer.parseInt(options.getOrDefault("max-in-flight", "100"));
        } catch (NumberFormatException e) {
            throw new JunctionException("fanout-client: --max-in-flight takes a number, got '" + options.get("max-in-flight") + "'");
        }
        FanoutClient.Builder builder = FanoutClient.builder();
        if (options.containsKey("trust-cert-file")) {
            builder.trustCertFile(Path.of(options.get("trust-cert-file")));
        }
        FanoutClient client = builder.servers(options.get("server"))
                .name(options.getOrDefault("name", "cli-" + ProcessHandle.current().pid()))
                .group(options.getOrDefault("group", "")).maxInFlight(maxInFlight).token(options.getOrDefault("token", ""))
                .handler(record -> {
                    out.println(record.topic() + "-" + record.partition() + "@" + record.offset() + " attempt="
                            + record.attempt() + " key=" + text(record.key()) + " " + text(record.value()));
                    record.ack();
                }).start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            client.close();
            stopped.countDown();
        }, "fanout-client-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            client.close();
        }
    }

    private static String text(byte[] bytes) {
        return bytes == null ? "null" : new String(bytes, StandardCharsets.UTF_8);
    }
}
