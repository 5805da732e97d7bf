package dev.junction.bench;

import java.util.HashMap;
import java.util.Map;

/** {@code --quick} and {@code --name value} options of a benchmark run. */
public record BenchOptions(boolean quick, Map<String, String> values) {

    static BenchOptions parse(String[] args) {
        boolean quick = false;
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if ("--quick".equals(args[i])) {
                quick = true;
            } else if (args[i].startsWith("--") && i + 1 < args.length) {
                values.put(args[i].substring(2), args[++i]);
            } else {
                throw new IllegalArgumentException("unexpected benchmark argument " + args[i]);
            }
        }
        return new BenchOptions(quick, values);
    }

    /** The option's value, else {@code quickDefault} for --quick runs, else {@code fullDefault}. */
    public long number(String name, long fullDefault, long quickDefault) {
        String v = values.get(name);
        return v != null ? Long.parseLong(v) : quick ? quickDefault : fullDefault;
    }
}
