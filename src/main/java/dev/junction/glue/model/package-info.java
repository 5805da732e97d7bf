/**
 * The model layer: a replicated key-value state per topic. Each write carries a hybrid logical clock timestamp; the
 * latest timestamp wins (last-writer-wins), so every endpoint that has seen the same writes holds the same state,
 * whatever the order they came in. Joiners get a snapshot; after a partition heals both sides exchange theirs.
 */
package dev.junction.glue.model;
