package dev.junction.fanout;

import java.util.Arrays;
import java.util.List;

import dev.junction.support.JunctionException;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.Exchange;
import org.apache.camel.processor.loadbalancer.QueueLoadBalancer;

/**
 * A weighted load balancer that weighs records rather than exchanges: an exchange whose body is a list of
 * {@link FanoutRecord}s counts as that many records, any other as one. Each exchange goes to the output that, after
 * taking it, is least ahead of its share (smooth weighted round robin), so the split of records between the outputs
 * is within one exchange of the weights however the batches vary in size. Camel's weighted load balancer counts
 * exchanges, and the fanout consumer's exchanges carry from one record to a full batch.
 * <p>
 * Used in a route as {@code loadBalance: customLoadBalancer: ref: NAME}, with {@code distributionRatio} such as
 * {@code "90,10"}, one weight per output.
 */
public class RecordWeightedLoadBalancer extends QueueLoadBalancer {

    private int[] weights;
    private long[] sent;

    /** Comma-separated weights, one per output, in the order of the outputs; 0 turns an output off. */
    public void setDistributionRatio(String ratio) {
        try {
            weights = Arrays.stream(ratio.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw new JunctionException("the load balancer's distribution ratio '" + ratio + "' is not a list of whole"
                    + " numbers; set fanout.stable-weight and fanout.canary-weight to numbers", e);
        }
        if (Arrays.stream(weights).anyMatch(w -> w < 0) || Arrays.stream(weights).sum() == 0) {
            throw new JunctionException("the load balancer's distribution ratio '" + ratio + "' needs weights of 0 or"
                    + " more, not all 0; check fanout.stable-weight and fanout.canary-weight");
        }
        sent = new long[weights.length];
    }

    public String getDistributionRatio() {
        return weights == null ? null : Arrays.toString(weights);
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        if (weights == null) {
            throw new JunctionException("the record-weighted load balancer has no distributionRatio");
        }
        if (weights.length != getProcessors().size()) {
            throw new JunctionException("the load balancer has " + getProcessors().size() + " outputs but "
                    + weights.length + " weights (" + getDistributionRatio() + "); give one weight per output");
        }
    }

    @Override
    protected synchronized AsyncProcessor chooseProcessor(AsyncProcessor[] processors, Exchange exchange) {
        long records = records(exchange);
        int chosen = -1;
        double least = Double.MAX_VALUE;
        for (int i = 0; i < processors.length; i++) {
            if (weights[i] == 0) {
                continue;
            }
            double ahead = (sent[i] + records) / (double) weights[i];
            if (ahead < least) {
                least = ahead;
                chosen = i;
            }
        }
        sent[chosen] += records;
        return processors[chosen];
    }

    private static long records(Exchange exchange) {
        List<FanoutRecord> batch = FanoutRecord.batch(exchange.getMessage().getBody());
        return batch == null ? 1 : batch.size();
    }
}
