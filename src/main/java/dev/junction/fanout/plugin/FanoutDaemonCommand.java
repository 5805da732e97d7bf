package dev.junction.fanout.plugin;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.junction.config.JunctionConfig;
import dev.junction.flow.FlowCommand;
import dev.junction.infra.Infrastructure;

/**
 * {@code fanout --id service_x --topic user_need [--port 9400]}: the daemon, as the original was started. It runs
 * routes/fanout.camel.yaml until Ctrl-C; several daemons with the same id form one cluster with one leader.
 */
final class FanoutDaemonCommand implements FlowCommand {

    private static final Set<String> OPTIONS = Set.of("id", "topic", "port", "advertised-address");

    @Override
    public String name() {
        return "fanout";
    }

    @Override
    public String help() {
        return "--id ID --topic TOPIC [--port 9400] [--advertised-address host:port]  run the fanout daemon until Ctrl-C";
    }

    @Override
    public Optional<Map<String, String>> routeSettings(List<String> arguments) {
        Map<String, String> options = CommandOptions.parse(name(), arguments, OPTIONS);
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("junction.routes", "routes/fanout.camel.yaml");
        settings.put("fanout.enabled", "true");
        putIfGiven(options, "id", settings, "fanout.id");
        putIfGiven(options, "topic", settings, "fanout.topic");
        putIfGiven(options, "port", settings, "camel.component.fanout.port");
        putIfGiven(options, "advertised-address", settings, "fanout.advertised-address");
        return Optional.of(settings);
    }

    private static void putIfGiven(Map<String, String> options, String option, Map<String, String> settings, String key) {
        if (options.containsKey(option)) {
            settings.put(key, options.get(option));
        }
    }

    @Override
    public void run(List<String> arguments, JunctionConfig config, Infrastructure infra, PrintStream out) {
        throw new IllegalStateException("the fanout daemon runs its routes (routeSettings), not as a one-shot command");
    }
}
