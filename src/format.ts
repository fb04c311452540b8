import type * as PrettierStandalone from "prettier/standalone";
import type { Plugin } from "prettier";
import { requireWithCodeCache } from "./code-cache.js";

// prettier's standalone build with only the babel-ts parser and the estree printer, loaded as CommonJS so
// that the V8 code cache applies: formatting cold is most of a run's time. babel-ts gives the same bytes
// as the typescript parser for everything gen-binding emits (test/format.test.ts), ~40% faster cold.
const prettier = requireWithCodeCache<typeof PrettierStandalone>("prettier/standalone");
const plugins = [requireWithCodeCache<Plugin>("prettier/plugins/babel"), requireWithCodeCache<Plugin>("prettier/plugins/estree")];

/**
 * Formats emitted TypeScript in process with fixed options, never a project's prettier config: the
 * same input must give the same bytes on every machine.
 */
export async function formatTypeScript(source: string, fileName: string): Promise<string> {
  try {
    return await prettier.format(source, { parser: "babel-ts", plugins, filepath: fileName, printWidth: 100, trailingComma: "all", endOfLine: "lf" });
  } catch (error) {
    // Emitted code that does not parse is a generator bug; say which file, and where.
    throw new Error(`internal error: emitted ${fileName} is not valid TypeScript: ${(error as Error).message.split("\n")[0]}`);
  }
}

/** How much source one prettier call formats at most (more statements than that are split between calls). */
const BATCH_CHARS = 64 * 1024;

/**
 * {@link formatTypeScript} for a module of many top-level statements, in batches of whole statements: the
 * same bytes as formatting it at once (prettier lays out each top-level statement on its own and keeps at
 * most one blank line between them; tested), with a fraction of the memory for outputs of many kinds.
 * `statementStarts` are the offsets where the statements start, their leading comments included.
 */
export async function formatModule(source: string, fileName: string, statementStarts: readonly number[]): Promise<string> {
  if (source.length <= BATCH_CHARS || statementStarts.length < 2) return formatTypeScript(source, fileName);
  const cuts = [0];
  for (const start of statementStarts) if (start - cuts[cuts.length - 1]! >= BATCH_CHARS) cuts.push(start);
  let result = "";
  for (const [index, cut] of cuts.entries()) {
    const text = source.slice(cut, cuts[index + 1] ?? source.length);
    const formatted = await formatTypeScript(text, fileName);
    // Between two statements prettier keeps one blank line when the source had at least one.
    if (index > 0 && /^[ \t]*\r?\n[ \t]*\r?\n/.test(source.slice(previousEnd(source, cut)))) result += "\n";
    result += formatted;
  }
  return result;
}

/** The offset just after the last non-blank character before `at`, so the text from there holds the gap. */
function previousEnd(source: string, at: number): number {
  let end = at;
  while (end > 0 && /\s/.test(source[end - 1]!)) end--;
  return end;
}
