package dev.junction.flow;

import java.util.List;
import java.util.function.LongSupplier;

/**
 * One row of the demo's table: a flow (the {@code flow} tag of {@code junction.flow.records}, which gives rate and
 * total), how to read its lag (records waiting; -1 when unknown), and the ids (or id prefixes) of the health
 * checks that say whether it is healthy.
 */
public record FlowRow(String flow, LongSupplier lag, List<String> healthChecks) {
}
