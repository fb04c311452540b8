#!/usr/bin/env node
// The peers the bench measures gen-binding against (orval, @hey-api/openapi-ts, @kubernetes/client-node,
// fastify, autocannon, esbuild) are a package of their own, bench/package.json and its lockfile, so that
// the root npm ci stays free of them: several declare Node >= 22 and would fill every contributor's
// install with engine warnings. This installs them (npm ci in bench/) when bench/node_modules is missing
// or was installed from another package.json or lockfile. `node bench/install.mjs` runs it alone;
// bench/run.mjs calls it before it loads any peer.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const BENCH = import.meta.dirname;
// Written after a successful npm ci: the hash of the manifest and lockfile it installed.
const STAMP = join(BENCH, "node_modules", ".gen-binding-bench-installed");

/** The hash bench/node_modules must carry to be current. */
function wantedStamp() {
  const hash = createHash("sha256");
  for (const file of ["package.json", "package-lock.json"]) hash.update(readFileSync(join(BENCH, file)));
  return hash.digest("hex");
}

function readIfPresent(file) {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

/**
 * Runs `npm ci` in bench/ unless bench/node_modules is current; npm's output goes to stderr (the bench's
 * stdout is its table). Returns whether it installed; throws when npm fails.
 */
export function ensureBenchDependencies({ log = (line) => process.stderr.write(`${line}\n`) } = {}) {
  const wanted = wantedStamp();
  if (readIfPresent(STAMP) === wanted) return false;
  log("installing the bench's peers: npm ci in bench/ (bench/package.json, bench/package-lock.json)");
  if (Number(process.versions.node.split(".")[0]) < 22) log("  (orval and @hey-api/openapi-ts declare Node >= 22: their EBADENGINE warnings are expected here; they run on Node 20 all the same)");
  const run = spawnSync("npm", ["ci", "--no-audit", "--no-fund"], { cwd: BENCH, stdio: ["ignore", 2, 2] });
  if (run.status !== 0) throw new Error(`npm ci in ${BENCH} failed (${run.error?.message ?? run.status ?? run.signal})`);
  writeFileSync(STAMP, wanted);
  return true;
}

if (resolve(process.argv[1] ?? "") === fileURLToPath(import.meta.url)) {
  const installed = ensureBenchDependencies();
  process.stderr.write(installed ? "bench/node_modules installed\n" : "bench/node_modules is up to date\n");
}
