package dev.junction.outbox;

import java.util.ArrayList;
import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;

/**
 * Runs a maintenance operation on the table: {@code cleanup}, {@code optimize}, {@code init-schema},
 * {@code failed} (body: list of failed rows), {@code requeue} and {@code skip} (body or header
 * {@code JunctionOutboxIds}: ids, empty for all). The operation comes from the endpoint or the header
 * {@code JunctionOutboxOperation}.
 */
public class OutboxProducer extends DefaultProducer {

    public static final String HEADER_OPERATION = OutboxConstants.OPERATION;
    public static final String HEADER_IDS = OutboxConstants.IDS;

    public OutboxProducer(OutboxEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    public OutboxEndpoint getEndpoint() {
        return (OutboxEndpoint) super.getEndpoint();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        OutboxConfiguration config = getEndpoint().getConfiguration();
        String operation = exchange.getMessage().getHeader(HEADER_OPERATION, config.getOperation(), String.class);
        OutboxMaintenance maintenance = new OutboxMaintenance(config);
        Object result = switch (operation) {
            case "cleanup" -> maintenance.cleanup();
            case "optimize" -> maintenance.optimize();
            case "init-schema" -> maintenance.initSchema();
            case "failed" -> maintenance.failed();
            case "requeue" -> maintenance.requeue(ids(exchange));
            case "skip" -> maintenance.skip(ids(exchange));
            default -> throw new IllegalArgumentException("unknown outbox operation '" + operation
                    + "'; use cleanup, optimize, init-schema, failed, requeue or skip");
        };
        exchange.getMessage().setBody(result);
    }

    private static List<Long> ids(Exchange exchange) {
        Object raw = exchange.getMessage().getHeader(HEADER_IDS);
        List<Long> ids = new ArrayList<>();
        if (raw instanceof Iterable<?> it) {
            it.forEach(v -> ids.add(Long.parseLong(v.toString())));
        } else if (raw != null && !raw.toString().isBlank()) {
            for (String s : raw.toString().split(",")) {
                ids.add(Long.parseLong(s.trim()));
            }
        }
        return ids;
    }
}
