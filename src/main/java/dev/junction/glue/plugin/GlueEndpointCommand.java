package dev.junction.glue.plugin;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.junction.config.JunctionConfig;
import dev.junction.flow.FlowCommand;
import dev.junction.glue.GlueNode;
import dev.junction.glue.GlueSettings;
import dev.junction.infra.Infrastructure;
import dev.junction.support.JunctionException;

/**
 * {@code glue-endpoint [--send-messages] [--topic some_topic] [--type some_type]}: the original's simple endpoint.
 * Settings come from the GLUE_* variables; it prints each message of the topic it receives ("NAME said ...") and,
 * with {@code --send-messages}, publishes "Hello, world." once a second with an expiry of 100 ms, until Ctrl-C.
 */
final class GlueEndpointCommand implements FlowCommand {

    @Override
    public String name() {
        return "glue-endpoint";
    }

    @Override
    public String help() {
        return "[--send-messages] [--topic some_topic] [--type some_type]  a glue endpoint (GLUE_* variables) that prints what it"
                + " receives and, with --send-messages, publishes a message a second, until Ctrl-C";
    }

    @Override
    public void run(List<String> arguments, JunctionConfig config, Infrastructure infra, PrintStream out) {
        boolean send = false;
        String topic = "some_topic";
        String type = "some_type";
        for (int i = 0; i < arguments.size(); i++) {
            String arg = arguments.get(i);
            if (arg.equals("--send-messages") || arg.equals("-sendMessages")) {
                send = true;
            } else if ((arg.equals("--topic") || arg.equals("--type")) && i + 1 < arguments.size()) {
                if (arg.equals("--topic")) {
                    topic = arguments.get(++i);
                } else {
                    type = arguments.get(++i);
                }
            } else {
                throw new JunctionException("glue-endpoint does not know '" + arg + "'; its options are --send-messages,"
                        + " --topic NAME, --type NAME (settings: the GLUE_* variables)");
            }
        }
        GlueNode node;
        try {
            node = GlueNode.start(GlueSettings.from(System.getenv()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        out.println("glue endpoint " + node.name() + " on data port " + node.dataPort() + ", subscribed to " + topic + " / " + type
                + (send ? ", sending a message a second" : "") + "; Ctrl-C stops it");
        node.subscribe(topic, type, m -> out.println(LocalTime.now() + " " + m.endpointName() + " said "
                + new String(m.payload(), StandardCharsets.UTF_8)));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            stopped.countDown();
        }, "glue-endpoint-shutdown"));
        try {
            long n = 0;
            while (!stopped.await(send ? 1 : 3600, TimeUnit.SECONDS)) {
                if (send) {
                    int peers = node.publish(topic, type, Duration.ofMillis(100),
                            ("Hello, world. (" + n++ + ")").getBytes(StandardCharsets.UTF_8));
                    out.println(LocalTime.now() + " published to " + peers + " peer(s)");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            node.close();
        }
    }
}
