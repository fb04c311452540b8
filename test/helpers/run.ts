import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

export const ROOT = resolve(import.meta.dirname, "..", "..");
export const CLI = join(ROOT, "dist", "cli.js");
export const EXAMPLE_SPEC = join(ROOT, "specs", "binding.swagger.json");

/** Where the real Kubernetes documents are (CI: ../shared/specs beside the clone). */
export const SHARED_SPECS = resolve(process.env["GEN_BINDING_SHARED_SPECS"] ?? join(ROOT, "..", "shared", "specs"));

/** The real releases, `[version, path]`, sorted; empty (and the caller skips, saying so) when absent. */
export function realSpecs(): Array<[string, string]> {
  if (!existsSync(SHARED_SPECS)) return [];
  return readdirSync(SHARED_SPECS)
    .map((file) => /^kubernetes-(v\d+\.\d+)\.swagger\.json$/.exec(file))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m): [string, string] => [m[1]!, join(SHARED_SPECS, m[0])])
    .sort(([a], [b]) => Number(a.split(".")[1]) - Number(b.split(".")[1]));
}

/** A fresh folder under `.tmp/` (inside the repo, so vitest can import generated `.ts` from it). */
export function tempDir(prefix: string): string {
  const base = join(ROOT, ".tmp");
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(join(base, `${prefix}-`));
  return dir;
}

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI as a user would. */
export function runCli(args: string[], options: { input?: string; cwd?: string } = {}): CliResult {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd: options.cwd ?? ROOT, input: options.input ?? "", encoding: "utf8", timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Every file of a folder and its subfolders as relative path (`runtime/client.ts`) -> content, sorted. */
export function readTree(dir: string): Record<string, string> {
  const tree: Record<string, string> = {};
  if (!existsSync(dir)) return tree;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile())) {
    const path = join(entry.parentPath, entry.name);
    tree[path.slice(dir.length + 1)] = readFileSync(path, "utf8");
  }
  return Object.fromEntries(Object.entries(tree).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
