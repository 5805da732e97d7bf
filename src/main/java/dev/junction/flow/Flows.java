package dev.junction.flow;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;

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

    /** Every flow's commands. */
    public List<FlowCommand> commands() {
        return all.stream().flatMap(f -> f.commands().stream()).toList();
    }
}
