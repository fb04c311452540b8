import type * as PrettierStandalone from "prettier/standalone";
import type { Plugin } from "prettier";
import { requireWithCodeCache } from "./code-cache.js";
import { joinFormatted, splitIntoBatches } from "./format-batches.js";

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

/**
 * {@link formatTypeScript} for a module of many top-level statements, in batches of whole statements (see
 * {@link splitIntoBatches}): the same bytes as formatting it at once, with a fraction of the memory for
 * outputs of many kinds. `statementStarts` are the offsets where the statements start, their leading
 * comments included.
 */
export async function formatModule(source: string, fileName: string, statementStarts: readonly number[]): Promise<string> {
  const batches = splitIntoBatches(source, statementStarts);
  const formatted: string[] = [];
  for (const batch of batches) formatted.push(await formatTypeScript(batch.text, fileName));
  return joinFormatted(batches, formatted);
}
