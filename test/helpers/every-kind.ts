import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generate } from "../../src/generate.js";
import { formatGvk } from "../../src/gvk.js";
import { parseDocument } from "../../src/load.js";
import { runtimeSources } from "../../src/runtime-files.js";
import { listKinds } from "../../src/select.js";
import { SHARED_SPECS, realSpecs, tempDir } from "./run.js";
import { typecheckFoldersInChild } from "./typecheck.js";

/**
 * Kinds every release in between is checked with, besides the kinds that only it has: the ones the issue
 * names (recursive JSONSchemaProps, int-or-string, quantities, subresources, connect actions).
 */
const SAMPLE = [
  "core/v1/Binding",
  "core/v1/Pod",
  "core/v1/PodExecOptions",
  "core/v1/Service",
  "core/v1/Node",
  "apiextensions.k8s.io/v1/CustomResourceDefinition",
  "policy/v1/Eviction",
  "authentication.k8s.io/v1/TokenRequest",
  "autoscaling/v1/Scale",
  "apps/v1/Deployment",
  "core/v1/DeleteOptions",
  "events.k8s.io/v1/Event",
];

const releases = realSpecs();

/** Every kind of the newest and the oldest release; for the others, their own kinds plus {@link SAMPLE}. */
function plan(): Array<{ version: string; path: string; kinds: string[]; complete: boolean }> {
  const kindsOf = new Map(releases.map(([version, path]) => [version, listKinds(parseDocument(readFileSync(path, "utf8"), path)).map(formatGvk)]));
  const edges = new Set([releases[0]![0], releases.at(-1)![0]]);
  const inEdges = new Set([...edges].flatMap((v) => kindsOf.get(v)!));
  return releases.map(([version, path]) => {
    const all = kindsOf.get(version)!;
    const complete = edges.has(version);
    return { version, path, complete, kinds: complete ? all : all.filter((k) => !inEdges.has(k) || SAMPLE.includes(k)) };
  });
}

/**
 * The every-kind tests for the releases `pick` chooses (the newest or the others: two test files, so that
 * vitest runs them on two cores). Skipped, with a message, when the real documents are absent.
 */
export function describeEveryKind(title: string, pick: (version: string, newest: string) => boolean): void {
  if (releases.length === 0) console.warn(`SKIPPED: the real Kubernetes documents are not at ${SHARED_SPECS}; every-kind generation not checked`);
  describe.skipIf(releases.length === 0)(title, () => {
    const dirs: string[] = [];
    const root = tempDir("every-kind");
    writeFileSync(join(root, "package.json"), '{ "type": "module" }\n');
    // Every output holds the same runtime modules, byte for byte (checked below); the type-check reads them
    // once, through a link to one copy, instead of once per output.
    const sharedRuntime = join(root, "runtime");
    mkdirSync(sharedRuntime);
    for (const [file, text] of runtimeSources()) writeFileSync(join(sharedRuntime, file), text);
    const shareRuntime = (dir: string) => {
      for (const [file, text] of runtimeSources()) {
        let copy: string | undefined;
        try {
          copy = readFileSync(join(dir, "runtime", file), "utf8");
        } catch {
          continue; // This output does not need that module.
        }
        expect(copy, `${dir}/runtime/${file} is the runtime module, verbatim`).toBe(text);
      }
      rmSync(join(dir, "runtime"), { recursive: true });
      symlinkSync(sharedRuntime, join(dir, "runtime"));
    };
    afterAll(() => rmSync(root, { recursive: true, force: true }));
    const runs = releases.length === 0 ? [] : plan().filter((run) => pick(run.version, releases.at(-1)![0]));

    it.each(runs.map((run) => [run.version, run] as const))(
      "%s: --kind group/version/Kind succeeds for each kind",
      async (version, run) => {
        const failures: string[] = [];
        for (const kind of run.kinds) {
          const dir = join(root, `${version}-${kind.replace(/\//g, "_")}`);
          try {
            const result = await generate({ spec: run.path, out: dir, kind });
            expect(result.kinds).toEqual([kind]);
            shareRuntime(dir);
            dirs.push(dir);
          } catch (error) {
            failures.push(`${kind}: ${(error as Error).message}`);
          }
        }
        const scope = run.complete ? "every kind" : "the kinds neither the newest nor the oldest release has, plus a sample";
        console.log(`${version}: generated ${run.kinds.length - failures.length} of ${run.kinds.length} kinds (${scope})`);
        expect(failures).toEqual([]);
      },
      300_000,
    );

    it.each(runs.filter((run) => run.complete).map((run) => [run.version, run] as const))(
      "%s: every kind in one output (--kind '*'): shared definitions once, one client, one route table",
      async (version, run) => {
        const dir = join(root, `${version}-all`);
        const result = await generate({ spec: run.path, out: dir, kinds: ["*"] });
        expect(result.kinds).toEqual([...run.kinds].sort());
        expect(new Set(result.models).size).toBe(result.models.length);
        expect(new Set(result.operations).size).toBe(result.operations.length);
        console.log(`${version}: one output with ${result.kinds.length} kinds, ${result.operations.length} operations, ${result.models.length} models`);
        shareRuntime(dir);
        dirs.push(dir);
      },
      300_000,
    );

    it("the output of all of them type-checks under the strictest settings (one program)", async () => {
      expect(dirs.length).toBeGreaterThan(0);
      const diagnostics = await typecheckFoldersInChild(dirs, "nodenext");
      console.log(`type-checked ${dirs.length} generated folders: ${diagnostics.length} errors`);
      expect(diagnostics).toEqual([]);
    }, 300_000);
  });
}
