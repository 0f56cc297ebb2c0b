package org.spin.analysis;

import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;

/** A layer×layer matrix as a PNG heatmap with a colour legend (XChart). */
final class Heatmaps {

    private Heatmaps() {}

    /**
     * @param min the value at the legend's low end (0 for CKA, −1 for cosine), so plots of
     *     different models share a scale instead of stretching to each one's range
     */
    static byte[] png(String title, double[][] m, double min, double max) {
        int d = m.length;
        List<Integer> layers = new ArrayList<>();
        for (int i = 0; i < d; i++) {
            layers.add(i);
        }
        List<Number[]> cells = new ArrayList<>();
        double top = max - (max - min) * 1e-9;
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                // XChart draws y upwards; flipping the row puts layer 0 top-left, as matrices are read
                // clamped just below max: XChart 3.8.8's gradient reads the colour after the value's, which
                // does not exist at exactly max (and rounding puts CKA a hair above 1)
                double v = Double.isNaN(m[i][j]) ? min : Math.max(min, Math.min(top, m[i][j]));
                cells.add(new Number[] {j, d - 1 - i, v});
            }
        }
        HeatMapChart chart = new HeatMapChartBuilder().width(120 + 48 * Math.max(d, 6)).height(80 + 44 * Math.max(d, 6))
                .title(title).xAxisTitle("layer").yAxisTitle("layer").build();
        chart.getStyler().setMin(min).setMax(max).setShowValue(d <= 16).setHeatMapValueDecimalPattern("0.00")
                .setRangeColors(new Color[] {new Color(0x30, 0x12, 0x3b), new Color(0x28, 0xbc, 0xeb),
                        new Color(0xa4, 0xfc, 0x3c), new Color(0xfb, 0x80, 0x22), new Color(0x7a, 0x04, 0x03)});
        chart.getStyler().setPlotContentSize(1.0);
        chart.addSeries(title, layers, reversed(layers), cells);
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Integer> reversed(List<Integer> layers) {
        List<Integer> r = new ArrayList<>(layers);
        java.util.Collections.reverse(r);
        return r;
    }
}
