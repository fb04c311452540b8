import { mkdir, readFile, rename, rm, rmdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";

/** A file as it should be on disk after the run. */
export interface OutputFile {
  name: string;
  content: string;
  /** Written only when absent, never replaced (the user's handler stubs)... */
  userOwned: boolean;
  /** ...unless the generator changed it on purpose (stubs added to the user's handlers). */
  rewrite?: boolean;
}

/** What a run does (or, with `--check`, would do) to one file. */
export interface FileChange {
  name: string;
  /** `remove`: the generator wrote it before and no longer emits it. `kept`: user-owned, left alone. */
  action: "create" | "update" | "unchanged" | "kept" | "remove";
  /** The bytes on disk before the run (undefined when absent). */
  before: string | undefined;
  /** The bytes after the run (undefined for `remove`). */
  after: string | undefined;
}

/** True for changes that touch the disk. */
export function isWrite(change: FileChange): boolean {
  return change.action === "create" || change.action === "update" || change.action === "remove";
}

/**
 * Compares the planned output with what is on disk. Reads only. `previouslyWritten` (from the manifest)
 * names the files an earlier run wrote: those no longer emitted are planned for removal; files the
 * generator never wrote are never touched.
 */
export async function planOutput(outDir: string, files: readonly OutputFile[], previouslyWritten: readonly string[] = []): Promise<FileChange[]> {
  const planned = await Promise.all(
    files.map(async (file): Promise<FileChange> => {
      const before = await readIfPresent(join(outDir, file.name));
      const action = before === undefined ? "create" : file.userOwned && !file.rewrite ? "kept" : before === file.content ? "unchanged" : "update";
      return { name: file.name, action, before, after: file.content };
    }),
  );
  const emitted = new Set(files.map((f) => f.name));
  const stale = [...new Set(previouslyWritten)].filter((name) => !emitted.has(name) && isPlainName(name)).sort();
  const removals = await Promise.all(stale.map(async (name): Promise<FileChange | undefined> => {
    const before = await readIfPresent(join(outDir, name));
    return before === undefined ? undefined : { name, action: "remove", before, after: undefined };
  }));
  return [...planned, ...removals.filter((c): c is FileChange => c !== undefined)];
}

/**
 * A manifest could name `../x`: only plain file names inside the output folder, or inside its `runtime/`
 * folder, are ever removed.
 */
function isPlainName(name: string): boolean {
  return /^(runtime\/)?[A-Za-z0-9_-][A-Za-z0-9._-]*$/.test(name);
}

/**
 * Applies the plan: each changed file is written to a temporary file in the same folder and renamed over
 * the old one, so a reader never sees half a file; unchanged files are not touched (bytes and mtime kept);
 * the manifest is written last, so an interrupted run is redone in full next time.
 */
export async function applyOutput(outDir: string, changes: readonly FileChange[], manifest?: { name: string; content: string }): Promise<void> {
  const writes = changes.filter((c) => c.action === "create" || c.action === "update");
  const removals = changes.filter((c) => c.action === "remove");
  const manifestChanged = manifest !== undefined && (await readIfPresent(join(outDir, manifest.name))) !== manifest.content;
  if (writes.length === 0 && removals.length === 0 && !manifestChanged) return;
  await mkdir(outDir, { recursive: true });
  for (const change of writes) await writeAtomically(join(outDir, change.name), change.after!);
  for (const change of removals) await rm(join(outDir, change.name), { force: true });
  // A runtime folder that lost its last file goes too (rmdir refuses a folder that is not empty).
  if (removals.some((c) => c.name.includes("/"))) await rmdir(join(outDir, "runtime")).catch(() => undefined);
  if (manifest && manifestChanged) await writeAtomically(join(outDir, manifest.name), manifest.content);
}

async function writeAtomically(target: string, content: string): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  const slash = target.lastIndexOf("/");
  const temporary = `${target.slice(0, slash + 1)}.${target.slice(slash + 1)}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, content);
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** Reads a file as UTF-8, or undefined when it does not exist. */
export async function readIfPresent(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}
