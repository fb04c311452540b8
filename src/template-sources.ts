import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { GenBindingError } from "./errors.js";

/** The templates that ship with gen-binding (`templates/` beside `dist/`). */
export const BUILTIN_TEMPLATE_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "templates");

/**
 * The template texts a run uses, by name (`client.ts`, `_partial`): the built-in ones, then those of
 * `overrideDir`, file by file. Reading them is cheap and needs no handlebars, so a no-op run can hash them.
 */
export function templateSources(overrideDir?: string): Map<string, string> {
  const sources = new Map<string, string>();
  for (const dir of [BUILTIN_TEMPLATE_DIR, overrideDir]) {
    if (dir === undefined) continue;
    for (const [name, text] of readTemplateDir(dir)) sources.set(name, text);
  }
  return sources;
}

function readTemplateDir(dir: string): Array<[string, string]> {
  let entries: string[];
  try {
    entries = readdirSync(dir).filter((file) => file.endsWith(".hbs")).sort();
  } catch (error) {
    throw new GenBindingError(`cannot read templates folder ${dir}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return entries.map((file) => [file.slice(0, -".hbs".length), readFileSync(join(dir, file), "utf8")]);
}
