/** How much source one prettier call formats at most (more statements than that are split between calls). */
export const BATCH_CHARS = 64 * 1024;

/** A run of whole top-level statements of a module, formatted by one prettier call. */
export interface FormatBatch {
  text: string;
  /** The source had a blank line before it: prettier keeps one between two statements when there was one. */
  blankLineBefore: boolean;
}

/**
 * Cuts a module into batches of whole top-level statements of at least `batchChars` each (the last one may
 * be shorter; one statement longer than that is a batch of its own). Formatting the batches one by one and
 * joining them with {@link joinFormatted} gives the bytes of formatting the module at once: prettier lays
 * out each top-level statement on its own and keeps at most one blank line between two (tested).
 * `statementStarts` are the offsets where the statements start, their leading comments included.
 */
export function splitIntoBatches(source: string, statementStarts: readonly number[], batchChars = BATCH_CHARS): FormatBatch[] {
  if (source.length <= batchChars || statementStarts.length < 2) return [{ text: source, blankLineBefore: false }];
  const cuts = [0];
  for (const start of statementStarts) if (start - cuts[cuts.length - 1]! >= batchChars) cuts.push(start);
  return cuts.map((cut, index) => ({
    text: source.slice(cut, cuts[index + 1] ?? source.length),
    blankLineBefore: index > 0 && /^[ \t]*\r?\n[ \t]*\r?\n/.test(source.slice(previousEnd(source, cut))),
  }));
}

/** The formatted module from its formatted batches (`formatted[i]` is batch `i`, formatted). */
export function joinFormatted(batches: readonly FormatBatch[], formatted: readonly string[]): string {
  let result = "";
  for (const [index, batch] of batches.entries()) result += (batch.blankLineBefore ? "\n" : "") + formatted[index]!;
  return result;
}

/** The offset just after the last non-blank character before `at`, so the text from there holds the gap. */
function previousEnd(source: string, at: number): number {
  let end = at;
  while (end > 0 && /\s/.test(source[end - 1]!)) end--;
  return end;
}
