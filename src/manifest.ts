import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";

/** The manifest's file name inside the output folder. Committed with the output. */
export const MANIFEST_NAME = ".gen-binding.json";

/**
 * What produced an output folder: a hash of every input that decides its bytes (the selected slice of the
 * spec, the templates, the generator version) and a hash of each file written. No timestamps.
 */
export interface Manifest {
  generator: string;
  /** `core/v1/Binding`, ... sorted. */
  kinds: string[];
  inputHash: string;
  /** Generator-owned files (paths relative to the output folder) and the sha256 of the bytes written. */
  files: Record<string, string>;
  /** User-owned files the generator created once (never hashed or removed: they are the user's to edit). */
  userFiles: string[];
  /** Operation names and model names, so that a no-op run can still say what the output holds. */
  operations: string[];
  models: string[];
}

/** sha256 of text, hex. */
export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** Hashes the inputs of a run in a fixed order; any change to one of them changes the hash. */
export function inputHash(parts: { generator: string; slice: unknown; options: unknown; templates: ReadonlyMap<string, string>; runtime: ReadonlyMap<string, string> }): string {
  const hash = createHash("sha256");
  hash.update(`gen-binding ${parts.generator}\n`);
  hash.update(JSON.stringify(parts.slice));
  hash.update(`\noptions ${JSON.stringify(parts.options)}`);
  for (const name of [...parts.templates.keys()].sort()) hash.update(`\ntemplate ${name}\n${parts.templates.get(name)}`);
  for (const name of [...parts.runtime.keys()].sort()) hash.update(`\nruntime ${name}\n${parts.runtime.get(name)}`);
  return hash.digest("hex");
}

/** Reads the manifest of an output folder; undefined when absent or not a manifest (then: full run). */
export async function readManifest(outDir: string): Promise<Manifest | undefined> {
  try {
    const value = JSON.parse(await readFile(join(outDir, MANIFEST_NAME), "utf8")) as Partial<Manifest>;
    if (typeof value.inputHash !== "string" || typeof value.files !== "object" || value.files === null) return undefined;
    const list = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
    return {
      generator: String(value.generator),
      kinds: list(value.kinds),
      inputHash: value.inputHash,
      files: value.files,
      userFiles: list(value.userFiles),
      operations: list(value.operations),
      models: list(value.models),
    };
  } catch {
    return undefined;
  }
}

/**
 * The folder's files when it holds exactly what the manifest says was written (nobody edited or deleted a
 * generated file, and the user's files still exist), so that a run with the same input hash has nothing
 * to do; undefined otherwise.
 */
export async function intactOutput(outDir: string, manifest: Manifest): Promise<Array<{ name: string; content: string }> | undefined> {
  try {
    const names = [...Object.keys(manifest.files), ...manifest.userFiles];
    const files = await Promise.all(names.map(async (name) => ({ name, content: await readFile(join(outDir, name), "utf8") })));
    return files.every((f) => !(f.name in manifest.files) || sha256(f.content) === manifest.files[f.name]) ? files : undefined;
  } catch {
    return undefined;
  }
}

/** The manifest text for a set of written files (sorted, stable). */
export function manifestText(manifest: Manifest): string {
  const files = Object.fromEntries(Object.entries(manifest.files).sort(([a], [b]) => (a < b ? -1 : 1)));
  return `${JSON.stringify({ ...manifest, files, userFiles: [...manifest.userFiles].sort() }, null, 2)}\n`;
}
