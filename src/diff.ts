import { createTwoFilesPatch } from "diff";
import type { FileChange } from "./write.js";

/** Lines of unified diff shown per file before it is cut. */
export const DIFF_LINE_LIMIT = 60;

/** A short unified diff of one planned change, cut after `limit` lines with a note of how many were left out. */
export function shortDiff(change: FileChange, limit = DIFF_LINE_LIMIT): string {
  const patch = createTwoFilesPatch(`a/${change.name}`, `b/${change.name}`, change.before ?? "", change.after ?? "", undefined, undefined, { context: 2 });
  const lines = patch.split("\n").slice(1).filter((line, i, all) => !(i === all.length - 1 && line === ""));
  if (lines.length <= limit) return lines.join("\n");
  const more = lines.length - limit;
  return [...lines.slice(0, limit), `... (${more} more ${more === 1 ? "line" : "lines"} of diff)`].join("\n");
}
