package dev.junction.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * The records a {@code WanSite count} process reports seeing at the destination, in order: one sample per poll
 * that brought records (all records so far, distinct records so far, when).
 */
public final class Arrivals {

    public record Sample(long records, long unique, long epochMillis) {
    }

    private final List<Sample> samples = new ArrayList<>();

    /** A line of the counter's output; lines other than {@code COUNT records unique epochMillis} are ignored. */
    public synchronized void accept(String line) {
        String[] f = line.split(" ");
        if (f.length == 4 && f[0].equals("COUNT")) {
            samples.add(new Sample(Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3])));
        }
    }

    public synchronized long unique() {
        return samples.isEmpty() ? 0 : samples.get(samples.size() - 1).unique();
    }

    public synchronized long records() {
        return samples.isEmpty() ? 0 : samples.get(samples.size() - 1).records();
    }


    /** When the last record so far arrived, or 0. */
    public synchronized long lastAt() {
        return samples.isEmpty() ? 0 : samples.get(samples.size() - 1).epochMillis();
    }

    /** When the first record after {@code epochMillis} arrived, or 0 if none has yet. */
    public synchronized long firstAfter(long epochMillis) {
        return samples.stream().mapToLong(Sample::epochMillis).filter(t -> t > epochMillis).findFirst().orElse(0);
    }

}
