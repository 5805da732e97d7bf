package dev.junction.bench;

import java.util.Locale;

/** One RESULT line of the benchmark contract (ARCHITECTURE.md): ours, and the anchor's figure from the same run. */
public final class Result {

    private Result() {
    }

    public static void print(String bench, String metric, double value, String unit, String anchor,
            double anchorValue, String better) {
        System.out.println(String.format(Locale.ROOT,
                "RESULT bench=%s metric=%s value=%s unit=%s anchor=%s anchor_value=%s better=%s",
                bench, metric, format(value), unit, anchor, format(anchorValue), better));
    }

    private static String format(double v) {
        return v == Math.rint(v) || Math.abs(v) >= 100 ? String.valueOf(Math.round(v)) : String.format(Locale.ROOT, "%.2f", v);
    }
}
