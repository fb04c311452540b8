import { existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

/**
 * The runtime's TypeScript sources: `src/runtime/` beside this file when it runs from the sources (tests),
 * `../src/runtime/` when it runs from `dist/` (the package ships the sources, not only their build).
 */
export const RUNTIME_DIR = existsSync(join(here, "runtime", "client.ts")) ? join(here, "runtime") : join(here, "..", "src", "runtime");

/** Where an output keeps its copy of the runtime. */
export const RUNTIME_FOLDER = "runtime";

let cached: Map<string, string> | undefined;

/** Every runtime module by file name (`client.ts`), as the bytes every output gets. Read once per process. */
export function runtimeSources(): Map<string, string> {
  if (!cached) {
    cached = new Map();
    for (const file of readdirSync(RUNTIME_DIR).filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts")).sort()) cached.set(file, readFileSync(join(RUNTIME_DIR, file), "utf8"));
  }
  return cached;
}

/**
 * The runtime files an output needs (`runtime/client.ts`, ...): the modules its emitted files import
 * (`from "./runtime/client.js"`) and everything those import, found by reading their `from "./x.js"`
 * specifiers. An output without watches gets no stream modules, one without routes no server.
 */
export function runtimeFiles(emitted: ReadonlyArray<{ content: string }>, sources: ReadonlyMap<string, string> = runtimeSources()): Array<{ name: string; content: string }> {
  const pending = emitted.flatMap((file) => [...file.content.matchAll(/\bfrom\s+"\.\/runtime\/([A-Za-z0-9_-]+)\.js"/g)].map((match) => `${match[1]}.ts`));
  const needed = new Set<string>();
  while (pending.length) {
    const file = pending.pop()!;
    if (needed.has(file)) continue;
    const text = sources.get(file);
    if (text === undefined) throw new Error(`internal error: runtime module ${file} is missing from ${RUNTIME_DIR}`);
    needed.add(file);
    for (const match of text.matchAll(/\bfrom\s+"\.\/([A-Za-z0-9_-]+)\.js"/g)) pending.push(`${match[1]}.ts`);
  }
  return [...needed].sort().map((file) => ({ name: `${RUNTIME_FOLDER}/${file}`, content: sources.get(file)! }));
}
