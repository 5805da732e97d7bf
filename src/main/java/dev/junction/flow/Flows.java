package dev.junction.flow;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;

import dev.junction.config.JunctionConfig;
import dev.junction.infra.Infrastructure;

/** The flows on the classpath, found through {@link ServiceLoader}, in name order. */
public final class Flows {

    private final List<JunctionFlow> all;

    private Flows(List<JunctionFlow> all) {
        this.all = all;
    }

    public static Flows discover() {
        List<JunctionFlow> found = new ArrayList<>();
        ServiceLoader.load(JunctionFlow.class, Flows.class.getClassLoader()).forEach(found::add);
        found.sort(Comparator.comparing(JunctionFlow::name));
        return new Flows(List.copyOf(found));
    }

    public List<JunctionFlow> all() {
        return all;
    }

    /** The flows that the loaded route files use. */
    public List<JunctionFlow> usedBy(List<Path> routeFiles) {
        return all.stream().filter(f -> f.isUsedBy(routeFiles)).toList();
    }

    /**
     * Gets {@code flows} ready to run: Kafka and the servers each flow needs are there (configured or embedded), and
     * each flow has filled in what its routes need. Returns the configuration the routes run with.
     */
    public static JunctionConfig prepare(List<JunctionFlow> flows, JunctionConfig config, Infrastructure infra) {
        JunctionConfig resolved = config.with("kafka.bootstrap", infra.kafkaBootstrap());
        for (JunctionFlow flow : flows) {
            flow.servers(resolved).forEach(infra::start);
            resolved = flow.configure(resolved, infra);
        }
        return resolved;
    }

    /** Every flow's commands. */
    public List<FlowCommand> commands() {
        return all.stream().flatMap(f -> f.commands().stream()).toList();
    }
}
