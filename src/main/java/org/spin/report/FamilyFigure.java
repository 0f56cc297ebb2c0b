package org.spin.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.font.FontRenderContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;
import java.util.stream.IntStream;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The SPIN-family figure: top-1 against a cost (log scale) for every model of a sweep, as in the
 * paper's Figure 1. Each model is the mean over its seeds, with every seed drawn faintly behind it
 * in the same shape, so the spread shows without error bars crowding neighbouring models. The
 * Pareto frontier over all models is a line: a shared model above the unshared models' part of
 * it is a better model of its size.
 */
public final class FamilyFigure {

    /** The cost on the horizontal axis. */
    public enum Cost {
        PARAMS("unique parameters", "params"), FLOPS("FLOPs per image (2 x MACs)", "flops");

        private final String title;
        private final String fileStem;

        Cost(String title, String fileStem) {
            this.title = title;
            this.fileStem = fileStem;
        }

        /** The PNG's name in the report directory. */
        public String fileName() {
            return "family-" + fileStem + ".png";
        }

        public String title() {
            return title;
        }

        double of(FamilyPoint p) {
            return this == PARAMS ? p.uniqueParams() : p.flops();
        }

        boolean known(FamilyPoint p) {
            return this == PARAMS || p.flops() != null;
        }
    }

    public static final int WIDTH = 800;
    public static final int HEIGHT = 520;

    private static final Color FRONTIER = new Color(60, 60, 60);
    private static final double PAD = Math.log10(1.5);

    /** Models are named beside their markers when there are at most this many; more would overlap. */
    static final int MAX_LABELS = 30;
    private static final Font LABEL_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 10);
    private static final FontRenderContext TEXT = new FontRenderContext(null, true, true);
    // The plot's size in pixels, as XChart lays out this image size: less titles, tick labels, margins.
    private static final double PLOT_PX = WIDTH - 80;
    private static final double PLOT_PX_HIGH = HEIGHT - 90;
    private static final double LABEL_GAP_PX = 12; // from the marker's centre to the label's left edge
    private static final double LINE_PX = 12; // a label's height, and so the least distance between two

    /** A model's name centred at (x, y) in data units (x is log10 of the cost), as XChart draws annotations. */
    record Label(String text, double x, double y, double halfWidth) {
        double left() {
            return x - halfWidth;
        }

        double right() {
            return x + halfWidth;
        }
    }

    /** The axes' ranges in data units, the models' names placed in them, and a name's height in y units. */
    record Layout(double xMin, double xMax, double yMin, double yMax, List<Label> labels, double line) {}

    /** The points whose cost is known: all for parameters, those with MACs for FLOPs. */
    public static List<FamilyPoint> plottable(List<FamilyPoint> points, Cost cost) {
        return points.stream().filter(cost::known).toList();
    }

    /**
     * Renders the figure as a PNG of {@link #WIDTH} x {@link #HEIGHT}.
     *
     * @param points non-empty, all {@link #plottable}
     */
    public static byte[] png(List<FamilyPoint> points, Cost cost) {
        if (points.isEmpty()) {
            throw new IllegalArgumentException("no models to plot");
        }
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Top-1 accuracy vs " + cost.title())
                .xAxisTitle(cost.title() + ", log scale").yAxisTitle("top-1 accuracy (%)").build();
        Layout layout = layout(points, cost);
        style(chart, layout);
        layout.labels().forEach(l -> chart.addAnnotation(new AnnotationText(l.text(), l.x(), l.y(), false)));

        for (ModelKind kind : ModelKind.values()) {
            List<FamilyPoint> ofKind = points.stream().filter(p -> p.kind() == kind).toList();
            if (ofKind.isEmpty()) {
                continue;
            }
            List<double[]> seeds = ofKind.stream().flatMap(p -> p.runs().stream()
                    .map(r -> new double[] {logCost(cost, p), 100 * r.top1()})).toList();
            XYSeries faint = chart.addSeries(kind.label() + " seeds",
                    seeds.stream().mapToDouble(s -> s[0]).toArray(), seeds.stream().mapToDouble(s -> s[1]).toArray());
            marker(faint, kind, 70);
            faint.setShowInLegend(false);
        }

        List<FamilyPoint> frontier = ParetoFrontier.of(points, cost::of, p -> p.top1().mean());
        XYSeries line = chart.addSeries("Pareto frontier", xs(frontier, p -> logCost(cost, p)), xs(frontier, p -> 100 * p.top1().mean()));
        line.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
        line.setMarker(SeriesMarkers.NONE);
        line.setLineColor(FRONTIER);
        line.setLineStyle(SeriesLines.DASH_DASH);

        for (ModelKind kind : ModelKind.values()) {
            List<FamilyPoint> ofKind = points.stream().filter(p -> p.kind() == kind).toList();
            if (!ofKind.isEmpty()) {
                XYSeries means = chart.addSeries(kind.label() + " (mean over seeds)",
                        xs(ofKind, p -> logCost(cost, p)), xs(ofKind, p -> 100 * p.top1().mean()));
                marker(means, kind, 255);
            }
        }
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The axes and the models' names: each name just right of its marker, moved down where it would
     * overlap one above it (models of one size and close accuracy), and the x axis widened so the
     * rightmost name fits; no names when there are more than {@link #MAX_LABELS} models. The
     * pixel sizes are estimates (XChart lays the plot out when it paints), good to a few pixels.
     */
    static Layout layout(List<FamilyPoint> points, Cost cost) {
        double xMin = points.stream().mapToDouble(p -> logCost(cost, p)).min().orElseThrow() - PAD;
        double xMax = points.stream().mapToDouble(p -> logCost(cost, p)).max().orElseThrow() + PAD;
        // The y range holds every seed, with room above and below (at least half a point).
        double lo = points.stream().flatMap(p -> p.runs().stream()).mapToDouble(r -> 100 * r.top1()).min().orElseThrow();
        double hi = points.stream().flatMap(p -> p.runs().stream()).mapToDouble(r -> 100 * r.top1()).max().orElseThrow();
        double yPad = Math.max(0.06 * (hi - lo), 0.5);
        double yMin = lo - yPad;
        double yMax = hi + yPad;
        if (points.size() > MAX_LABELS) {
            return new Layout(xMin, xMax, yMin, yMax, List.of(), 0);
        }
        // The x range R must hold each name: x_i - xMin + (gap + width_i) R / PLOT_PX <= R, so R is
        // the largest of the padded range and (x_i - xMin) / (1 - (gap + width_i) / PLOT_PX); a
        // name wider than two thirds of the plot is given two thirds.
        double range = xMax - xMin;
        for (FamilyPoint p : points) {
            double room = 1 - Math.min((LABEL_GAP_PX + textWidth(p.label())) / PLOT_PX, 2.0 / 3);
            range = Math.max(range, (logCost(cost, p) - xMin) / room);
        }
        double xPerPx = range / PLOT_PX;
        double line = LINE_PX * (yMax - yMin) / PLOT_PX_HIGH;
        // Highest first, so a name that has to move goes down, away from the names above it.
        Label[] labels = new Label[points.size()];
        List<Label> placed = new ArrayList<>();
        IntStream.range(0, points.size()).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> points.get(i).top1().mean()).reversed()).forEach(i -> {
                    FamilyPoint p = points.get(i);
                    double half = textWidth(p.label()) / 2 * xPerPx;
                    Label l = new Label(p.label(), logCost(cost, p) + LABEL_GAP_PX * xPerPx + half, 100 * p.top1().mean(), half);
                    for (Label clash = clash(l, placed, line); clash != null; clash = clash(l, placed, line)) {
                        l = new Label(l.text(), l.x(), clash.y() - line, half);
                    }
                    placed.add(l);
                    labels[i] = l;
                });
        double right = placed.stream().mapToDouble(Label::right).max().orElse(xMax);
        double bottom = placed.stream().mapToDouble(l -> l.y() - line / 2).min().orElse(yMin);
        return new Layout(xMin, Math.max(xMin + range, right), Math.min(yMin, bottom), yMax, List.of(labels), line);
    }

    /** A placed label that {@code l} would overlap, or null. */
    private static Label clash(Label l, List<Label> placed, double line) {
        return placed.stream().filter(o -> o.left() < l.right() && l.left() < o.right() && Math.abs(o.y() - l.y()) < line)
                .findFirst().orElse(null);
    }

    private static double textWidth(String text) {
        return LABEL_FONT.getStringBounds(text, TEXT).getWidth();
    }

    private static void style(XYChart chart, Layout layout) {
        var s = chart.getStyler();
        s.setDefaultSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
        // XChart's own log axis labels decades only, which leaves a sweep spanning less than one
        // decade with one label or none; so x is log10(cost) on a linear axis, labelled with the
        // cost itself to three significant digits.
        s.setxAxisTickLabelsFormattingFunction(u -> Format.si(Math.pow(10, u)));
        s.setXAxisTickMarkSpacingHint(90);
        s.setYAxisDecimalPattern("0.0");
        s.setLegendPosition(LegendPosition.InsideSE);
        s.setMarkerSize(10);
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotGridLinesColor(new Color(225, 225, 225));
        s.setAntiAlias(true);
        // Room around the points (a range at all when there is one model) and for the names.
        s.setXAxisMin(layout.xMin());
        s.setXAxisMax(layout.xMax());
        s.setYAxisMin(layout.yMin());
        s.setYAxisMax(layout.yMax());
        s.setAnnotationTextFont(LABEL_FONT);
        s.setAnnotationTextFontColor(new Color(70, 70, 70));
    }

    private static double logCost(Cost cost, FamilyPoint p) {
        return Math.log10(cost.of(p));
    }

    private static void marker(XYSeries series, ModelKind kind, int alpha) {
        Color c = colour(kind);
        series.setMarker(shape(kind));
        series.setMarkerColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), alpha));
    }

    /** Colour-blind-safe (Okabe-Ito) colours, and a different shape too for greyscale prints. */
    static Color colour(ModelKind kind) {
        return switch (kind) {
            case UNSHARED -> new Color(0, 114, 178);
            case SHARED -> new Color(213, 94, 0);
            case FUSION -> new Color(0, 158, 115);
        };
    }

    static Marker shape(ModelKind kind) {
        return switch (kind) {
            case UNSHARED -> SeriesMarkers.CIRCLE;
            case SHARED -> SeriesMarkers.DIAMOND;
            case FUSION -> SeriesMarkers.TRIANGLE_UP;
        };
    }

    private static double[] xs(List<FamilyPoint> points, ToDoubleFunction<FamilyPoint> f) {
        return points.stream().mapToDouble(f).toArray();
    }
}
