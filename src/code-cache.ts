import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { Module, createRequire } from "node:module";
import { dirname, join, sep } from "node:path";
import { Script } from "node:vm";

// Node 20 has no module.enableCompileCache (22.1+): compiling typescript.js (9 MB) alone takes ~0.2 s of
// every run. This keeps V8's code cache for a few big CommonJS modules beside them, in
// node_modules/.cache/gen-binding, where only someone who could already edit node_modules can write.

const FORMAT = "gen-binding-code-cache-1";
const localRequire = createRequire(import.meta.url);
const WRAPPER_START = Buffer.from("(function (exports, require, module, __filename, __dirname) { ");
const WRAPPER_END = Buffer.from("\n});");
const pending: Array<{ script: Script; file: string }> = [];

/**
 * `require(specifier)`, compiled with a V8 code cache read from disk when one fits this Node, this file
 * and its exact size and mtime. Without a usable cache it compiles normally and saves one when the process
 * exits (after the run, so that functions compiled lazily during the run are in it). Any problem with the
 * cache (unwritable folder, rejected data) falls back silently to a normal compile. The module lands in
 * the require cache, so later `require`s of it (e.g. from openapi-typescript) get the same instance.
 * `GEN_BINDING_CODE_CACHE=0` turns it off.
 */
export function requireWithCodeCache<T>(specifier: string): T {
  const filename = localRequire.resolve(specifier);
  const loaded = localRequire.cache[filename];
  if (loaded) return loaded.exports as T;
  const cacheFile = process.env["GEN_BINDING_CODE_CACHE"] === "0" ? undefined : cacheFileFor(filename);
  if (cacheFile === undefined) return localRequire(filename) as T;
  const cachedData = readIfPresent(cacheFile);
  // Wrapped as bytes, then decoded once: a source string plus a wrapped copy of it would keep 9 MB more
  // on the heap until the next full GC, which in a short run never comes (peak memory).
  const wrapper = Buffer.concat([WRAPPER_START, readFileSync(filename), WRAPPER_END]).toString("utf8");
  const script = new Script(wrapper, { filename, ...(cachedData && { cachedData }) });
  if (!cachedData || script.cachedDataRejected) schedule(script, cacheFile);
  const compiled = script.runInThisContext() as (...args: unknown[]) => void;
  const module = new Module(filename);
  module.filename = filename;
  localRequire.cache[filename] = module;
  try {
    compiled.call(module.exports, module.exports, createRequire(filename), module, filename, dirname(filename));
  } catch (error) {
    delete localRequire.cache[filename];
    throw error;
  }
  module.loaded = true;
  return module.exports as T;
}

/** `.../node_modules/.cache/gen-binding/<key>.bin`, or undefined when the module is not under node_modules. */
function cacheFileFor(filename: string): string | undefined {
  const marker = `${sep}node_modules${sep}`;
  const at = filename.lastIndexOf(marker);
  if (at < 0) return undefined;
  let stat;
  try {
    stat = statSync(filename);
  } catch {
    return undefined;
  }
  const key = [FORMAT, process.version, process.arch, process.versions.v8, filename, stat.size, stat.mtimeMs].join("\0");
  const name = createHash("sha256").update(key).digest("hex").slice(0, 32);
  return join(filename.slice(0, at + marker.length), ".cache", "gen-binding", `${name}.bin`);
}

function readIfPresent(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

function schedule(script: Script, file: string): void {
  if (pending.length === 0) process.once("exit", saveCodeCaches);
  pending.push({ script, file });
}

function saveCodeCaches(): void {
  for (const { script, file } of pending.splice(0)) {
    const temporary = `${file}.${process.pid}.tmp`;
    try {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(temporary, script.createCachedData());
      renameSync(temporary, file);
    } catch {
      // A read-only node_modules or a full disk costs speed, never a failed run.
      rmSync(temporary, { force: true });
    }
  }
}
