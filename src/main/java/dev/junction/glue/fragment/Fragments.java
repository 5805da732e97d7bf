package dev.junction.glue.fragment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Splitting a payload into fragments of at most a given size (at least one fragment, for an empty payload too). */
public final class Fragments {

    private Fragments() {
    }

    public static List<byte[]> split(byte[] payload, int maxFragmentBytes) {
        if (maxFragmentBytes <= 0) {
            throw new IllegalArgumentException("fragments need room for at least one byte");
        }
        if (payload.length <= maxFragmentBytes) {
            return List.of(payload); // one fragment: the payload itself, not a copy
        }
        List<byte[]> parts = new ArrayList<>(Math.max(1, (payload.length + maxFragmentBytes - 1) / maxFragmentBytes));
        for (int from = 0; from < payload.length || parts.isEmpty(); from += maxFragmentBytes) {
            parts.add(Arrays.copyOfRange(payload, from, Math.min(payload.length, from + maxFragmentBytes)));
        }
        return parts;
    }
}
