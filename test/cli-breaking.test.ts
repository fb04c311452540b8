import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { EXAMPLE_SPEC, ROOT, runCli, tempDir } from "./helpers/run.js";

// Item 4 of issue 12: --fail-on-breaking (or "failOnBreaking" in the config) refuses a breaking change of
// the output's public API without writing anything, so that it fails on every run, not once; the change
// goes in when someone accepts it (--accept-breaking, or a run without the flag).

const OBJECT_REFERENCE = "io.k8s.api.core.v1.ObjectReference";

/** The example spec without ObjectReference.fieldPath: a removed field, a breaking change of models.ts. */
function breakingSpec(): string {
  const document = JSON.parse(readFileSync(EXAMPLE_SPEC, "utf8"));
  delete document.definitions[OBJECT_REFERENCE].properties.fieldPath;
  return JSON.stringify(document);
}

/** Every file below `dir` (the manifest included) with its bytes and modification time. */
function snapshot(dir: string): Record<string, { content: string; mtimeMs: number }> {
  const files: Record<string, { content: string; mtimeMs: number }> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile())) {
    const path = join(entry.parentPath, entry.name);
    files[path.slice(dir.length + 1)] = { content: readFileSync(path, "utf8"), mtimeMs: statSync(path).mtimeMs };
  }
  return files;
}

describe("--fail-on-breaking in a prebuild", () => {
  let project: string;
  const npm = (args: string[]) => {
    const result = spawnSync("npm", args, { cwd: project, encoding: "utf8", env: { ...process.env, npm_config_loglevel: "error", npm_config_update_notifier: "false" } });
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
  };

  beforeAll(() => {
    // A consumer project as the README shows it: the settings (failOnBreaking among them) in package.json,
    // gen-binding as the prebuild, and the build leaving a mark when it runs. gen-binding is linked as npm
    // would link an installed one.
    project = tempDir("prebuild");
    mkdirSync(join(project, "k8s"));
    writeFileSync(join(project, "k8s", "swagger.json"), readFileSync(EXAMPLE_SPEC));
    const pkg = {
      name: "consumer",
      private: true,
      scripts: { prebuild: "gen-binding", build: 'node -e "require(\'fs\').writeFileSync(\'built\', \'\')"' },
      "gen-binding": { spec: "k8s/swagger.json", out: "src/k8s", failOnBreaking: true },
    };
    writeFileSync(join(project, "package.json"), JSON.stringify(pkg, null, 2));
    mkdirSync(join(project, "node_modules", ".bin"), { recursive: true });
    symlinkSync(join(ROOT, "bin", "gen-binding.js"), join(project, "node_modules", ".bin", "gen-binding"));
  });

  it("fails on every run while the change is breaking, writing nothing, until --accept-breaking; then passes", () => {
    const first = npm(["run", "build"]);
    expect(first.status, first.output).toBe(0);
    expect(existsSync(join(project, "built"))).toBe(true);
    const models = join(project, "src", "k8s", "models.ts");
    expect(readFileSync(models, "utf8")).toContain("fieldPath?:");

    writeFileSync(join(project, "k8s", "swagger.json"), breakingSpec());
    const before = snapshot(join(project, "src", "k8s"));
    for (const attempt of [1, 2]) {
      writeFileSync(join(project, "built"), "stale");
      const refused = npm(["run", "build"]);
      expect(refused.status, `attempt ${attempt}: ${refused.output}`).not.toBe(0);
      expect(refused.output).toContain("nothing written, breaking API change (would update models.ts, would update routes.ts)");
      expect(refused.output).toContain("  - field ObjectReference.fieldPath: field removed  [BREAKING]\n");
      expect(refused.output).toContain("gen-binding: breaking API change of core/v1/Binding: nothing written (--fail-on-breaking); to accept it, run gen-binding --accept-breaking\n");
      // Nothing on disk moved, the manifest included (so the next run sees the same change again), and the build did not run.
      expect(snapshot(join(project, "src", "k8s")), `attempt ${attempt}`).toEqual(before);
      expect(readFileSync(join(project, "built"), "utf8")).toBe("stale");
    }

    const accepted = npm(["run", "prebuild", "--", "--accept-breaking"]);
    expect(accepted.status, accepted.output).toBe(0);
    expect(accepted.output).toContain("updated models.ts, updated routes.ts");
    expect(accepted.output).toContain("gen-binding: breaking API change accepted (--accept-breaking)\n");
    expect(readFileSync(models, "utf8")).not.toContain("fieldPath?:");

    const after = npm(["run", "build"]);
    expect(after.status, after.output).toBe(0);
    expect(after.output).toContain(`-> ${join(project, "src", "k8s")}: nothing changed\n`);
    expect(readFileSync(join(project, "built"), "utf8")).toBe("");
  });
});

describe("--fail-on-breaking from the command line", () => {
  let out: string;
  let spec: string;
  beforeAll(() => {
    out = tempDir("refuse");
    expect(runCli(["--spec", EXAMPLE_SPEC, "--out", out]).status).toBe(0);
    spec = join(out, "..", `${out.split("/").pop()}-breaking.json`);
    writeFileSync(spec, breakingSpec());
  });

  it("refuses in the JSON report too (refused: true, exit 1), and a run without the flag accepts the change", () => {
    const before = snapshot(out);
    const refused = runCli(["--spec", spec, "--out", out, "--fail-on-breaking", "--report", "json"]);
    expect(refused.status).toBe(1);
    expect(JSON.parse(refused.stdout)).toMatchObject({ refused: true, stale: true, apiChanges: { breaking: true } });
    expect(refused.stderr).toBe("gen-binding: breaking API change of core/v1/Binding: nothing written (--fail-on-breaking); to accept it, run gen-binding --accept-breaking\n");
    expect(snapshot(out)).toEqual(before);

    const accepted = runCli(["--spec", spec, "--out", out]);
    expect(accepted.status).toBe(0);
    expect(accepted.stdout).toContain("updated models.ts, updated routes.ts\n");
    expect(runCli(["--spec", spec, "--out", out, "--fail-on-breaking"]).status).toBe(0);
  });

  it("refuses --accept-breaking with --check, which writes nothing to accept", () => {
    expect(runCli(["--spec", spec, "--out", out, "--check", "--accept-breaking"])).toEqual({ status: 2, stdout: "", stderr: "gen-binding: --accept-breaking writes the output: it cannot be combined with --check\n" });
  });
});
