package org.spin.workflow;

import org.spin.SpinException;
import org.spin.analysis.Analysis;
import org.spin.analysis.AnalysisReport;
import org.spin.analysis.LayerAnalysis;
import org.spin.analysis.PlanSuggestion;
import org.spin.data.DataConfig;
import org.spin.data.Loader;
import org.spin.model.Models;
import org.spin.model.SpinModel;
import org.spin.sharing.SharingDistribution;
import org.spin.sharing.SharingPlan;

/**
 * Which layers of a trained model compute alike: linear CKA between block outputs, activation
 * norms, and the sharing plan that groups the most similar neighbours.
 */
public final class LayerStudy {

    /** Every block's output of two batches is held at once (see {@link Analysis#run}). */
    public static final int MAX_BATCH = 64;

    private LayerStudy() {}

    /** The report, and the plan the studied model already has (shared or not). */
    public record Result(AnalysisReport report, SharingPlan plan) {}

    /**
     * Studies {@code w} on the first {@code images} test images of its config's data set and
     * suggests a plan of {@code depth / shareRate} slots.
     */
    public static Result run(Session.Weights w, int images, int shareRate) {
        if (images < 2) {
            throw new SpinException("images " + images + " must be at least 2: CKA centres over the examples");
        }
        if (shareRate < 1) {
            throw new SpinException("share rate " + shareRate + " must be at least 1");
        }
        DataConfig data = DataConfig.from(w.cfg());
        Loader test = data.withTestBatchSize(Math.min(MAX_BATCH, data.testBatchSize())).loader(false);
        if (images > test.size()) {
            throw new SpinException("images " + images + " is more than the " + test.size() + " images of the "
                    + data.dataset() + " test split");
        }
        try (Session session = Session.running(w.cfg())) {
            SpinModel model = session.load(w, data.imageSize());
            int depth = model.plan().depth();
            // validates the rate against the depth with the distribution's own message
            int[] uniform = SharingDistribution.UNIFORM.groupSizes(depth, shareRate);
            LayerAnalysis a = Analysis.run(model, test.head(images), session.manager());
            AnalysisReport report = new AnalysisReport(w.path().toString(), a, Models.weightShare(w.cfg()), shareRate,
                    PlanSuggestion.contiguous(a.cka(), uniform.length), PlanSuggestion.of(a.cka(), uniform));
            return new Result(report, model.plan());
        }
    }
}
