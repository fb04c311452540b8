import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";

/** A file as it should be on disk after the run. */
export interface OutputFile {
  name: string;
  content: string;
  /** Written only when absent, never replaced (the user's handler stubs). */
  userOwned: boolean;
}

/** What a run does (or, with `--check`, would do) to one file. */
export interface FileChange {
  name: string;
  action: "create" | "update" | "unchanged" | "kept";
  /** The bytes on disk before the run (undefined when absent). */
  before: string | undefined;
  after: string;
}

/** Compares the planned output with what is on disk. Reads only. */
export async function planOutput(outDir: string, files: readonly OutputFile[]): Promise<FileChange[]> {
  return Promise.all(
    files.map(async (file): Promise<FileChange> => {
      const before = await readIfPresent(join(outDir, file.name));
      const action = before === undefined ? "create" : file.userOwned ? "kept" : before === file.content ? "unchanged" : "update";
      return { name: file.name, action, before, after: file.content };
    }),
  );
}

/**
 * Writes the files that changed. Each is written to a temporary file in the same folder and renamed over
 * the old one, so a reader never sees half a file; unchanged files are not touched (mtime kept).
 */
export async function applyOutput(outDir: string, changes: readonly FileChange[]): Promise<void> {
  const pending = changes.filter((c) => c.action === "create" || c.action === "update");
  if (pending.length === 0) return;
  await mkdir(outDir, { recursive: true });
  for (const change of pending) {
    const target = join(outDir, change.name);
    const temporary = join(outDir, `.${change.name}.${process.pid}.tmp`);
    try {
      await writeFile(temporary, change.after, change.action === "create" ? { flag: "wx" } : {});
      await rename(temporary, target);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }
}

async function readIfPresent(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}
