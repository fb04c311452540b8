import { round } from "./stats.mjs";

/**
 * One row of the result table: our figure, the figure it is compared with (from the same run), their
 * ratio (ours / theirs, per round, median), the target and whether it is met.
 */
export function row(measure, unit, ours, against, theirs, ratio, target, met) {
  return { measure, unit, ours: round(ours), against, theirs: round(theirs), ratio: round(ratio), target, met };
}

/** The rows as a Markdown table (printed by the bench and pasted into BENCHMARKS.md). */
export function markdownTable(rows) {
  const header = ["measure", "gen-binding", "compared with", "their figure", "ratio", "target", "met"];
  const cells = rows.map((r) => [
    r.unit ? `${r.measure} (${r.unit})` : r.measure,
    String(r.ours),
    r.against,
    String(r.theirs),
    String(r.ratio),
    r.target,
    r.met === undefined ? "" : r.met ? "yes" : "**no**",
  ]);
  return [header, header.map(() => "---"), ...cells].map((line) => `| ${line.join(" | ")} |`).join("\n");
}
