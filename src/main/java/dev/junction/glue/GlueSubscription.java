package dev.junction.glue;

/** A subscription of a {@link GlueNode}: close it to stop getting its messages. */
@FunctionalInterface
public interface GlueSubscription extends AutoCloseable {

    @Override
    void close();
}
