package dev.junction.bench;

import java.util.List;

/** A benchmark's two sides: Junction (ours) and the tool it is measured against (the anchor). */
enum Side {
    OURS, ANCHOR;

    /**
     * The order of the runs, from {@code --order}: {@code abba} (the default: ours, anchor, anchor, ours, so that
     * neither side always gets the warmer broker), {@code ours-first} or {@code anchor-first}.
     */
    static List<Side> order(BenchOptions options) {
        String name = options.values().getOrDefault("order", "abba");
        return switch (name) {
            case "abba" -> List.of(OURS, ANCHOR, ANCHOR, OURS);
            case "ours-first" -> List.of(OURS, ANCHOR);
            case "anchor-first" -> List.of(ANCHOR, OURS);
            default -> throw new IllegalArgumentException("--order is abba, ours-first or anchor-first, not " + name);
        };
    }
}
