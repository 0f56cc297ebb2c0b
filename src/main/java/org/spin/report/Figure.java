package org.spin.report;

/** A rendered family figure: its cost axis, the PNG and how many models it shows. */
public record Figure(FamilyFigure.Cost cost, byte[] png, int models) {}
