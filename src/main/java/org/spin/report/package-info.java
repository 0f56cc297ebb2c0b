/**
 * {@code spin report}: reads the {@code result.json} of every run of a sweep and writes one
 * self-contained HTML page with the SPIN-family figures (accuracy against unique parameters and
 * FLOPs, with the Pareto frontier), one ablation table per swept sharing dimension in the manner
 * of the paper's tables (Lin et al., ECCV 2022, https://arxiv.org/abs/2207.10237), and a sortable
 * table of every run.
 *
 * <p>The computations ({@link org.spin.report.ParetoFrontier}, {@link org.spin.report.MatchedGroups},
 * {@link org.spin.report.MeanStd}) are pure and know nothing of HTML or charts.
 */
package org.spin.report;
