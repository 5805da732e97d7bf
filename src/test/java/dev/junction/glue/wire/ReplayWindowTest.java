package dev.junction.glue.wire;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReplayWindowTest {

    @Test
    void aPacketNumberIsTakenOnceAndNotWhenTooOld() {
        ReplayWindow w = new ReplayWindow();
        assertThat(w.accept(5)).isTrue();
        assertThat(w.accept(5)).as("replayed").isFalse();
        assertThat(w.accept(3)).as("late but new").isTrue();
        assertThat(w.accept(3)).isFalse();
        assertThat(w.accept(100)).isTrue();
        assertThat(w.accept(36)).as("64 behind the highest: outside the window").isFalse();
        assertThat(w.accept(37)).as("63 behind: inside").isTrue();
        assertThat(w.accept(-1)).isFalse();
    }
}
