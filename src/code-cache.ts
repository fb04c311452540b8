import { createHash } from "node:crypto";
import { accessSync, constants, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { Module, createRequire } from "node:module";
import { dirname, join, sep } from "node:path";
import { cachedDataVersionTag } from "node:v8";
import { Script } from "node:vm";
import { crc32 } from "node:zlib";

// Node 20 has no module.enableCompileCache (22.1+): compiling typescript.js (9 MB) alone takes ~0.2 s of
// every run. This keeps V8's code cache for a few big CommonJS modules beside them, in
// node_modules/.cache/gen-binding, where only someone who could already edit node_modules can write.

const FORMAT = "gen-binding-code-cache-1";
const WRAPPER_START = Buffer.from("(function (exports, require, module, __filename, __dirname) { ");
const WRAPPER_END = Buffer.from("\n});");
const localRequire = createRequire(import.meta.url);
const pending: Array<{ script: Script; file: string; flags: number }> = [];

/**
 * `require(specifier)`, compiled with a V8 code cache read from disk when one fits this Node and these
 * exact bytes of the module. Without a usable cache it compiles normally and saves one when the process
 * exits (after the run, so that functions compiled lazily during the run are in it). Any problem with the
 * cache (unwritable folder, rejected data) falls back silently to a normal compile. The module lands in
 * the require cache, so later `require`s of it (e.g. from openapi-typescript) get the same instance.
 * `GEN_BINDING_CODE_CACHE=0` turns it off.
 */
export function requireWithCodeCache<T>(specifier: string): T {
  const filename = localRequire.resolve(specifier);
  const loaded = localRequire.cache[filename];
  if (loaded) return loaded.exports as T;
  const cacheDir = process.env["GEN_BINDING_CODE_CACHE"] === "0" ? undefined : cacheDirFor(filename);
  if (cacheDir === undefined) return localRequire(filename) as T;
  const { wrapper, key } = readWrapped(filename);
  const cacheFile = join(cacheDir, `${key}.bin`);
  const cachedData = readIfPresent(cacheFile);
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

/**
 * The module's source wrapped as CommonJS, and its cache key. Wrapped as bytes, then decoded once: a source
 * string plus a wrapped copy of it would keep 9 MB more on the heap until the next full GC, which in a
 * short run never comes; the buffers here are young garbage when this returns (peak memory).
 */
function readWrapped(filename: string): { wrapper: string; key: string } {
  const bytes = readFileSync(filename);
  return { wrapper: Buffer.concat([WRAPPER_START, bytes, WRAPPER_END]).toString("utf8"), key: cacheKey(filename, bytes) };
}

/** `.../node_modules/.cache/gen-binding`, or undefined when the module is not under node_modules. */
function cacheDirFor(filename: string): string | undefined {
  const marker = `${sep}node_modules${sep}`;
  const at = filename.lastIndexOf(marker);
  return at < 0 ? undefined : join(filename.slice(0, at + marker.length), ".cache", "gen-binding");
}

/**
 * V8 checks a cache's V8 version and flags, but of the source only its length: the key must change with
 * the content itself (npm gives every installed file the same mtime, so mtimes cannot tell), and with the
 * flags, so that runs with different flags keep separate caches instead of replacing each other's.
 */
function cacheKey(filename: string, bytes: Buffer): string {
  // cachedDataVersionTag: V8 version and flags (the CLI sets --no-turbofan; a library user may not).
  const key = [FORMAT, process.version, process.arch, cachedDataVersionTag(), filename, bytes.length, crc32(bytes)].join("\0");
  return createHash("sha256").update(key).digest("hex").slice(0, 32);
}

function readIfPresent(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

function schedule(script: Script, file: string): void {
  try {
    // Producing a cache costs time at exit: only when it can be saved (not in a read-only global install).
    mkdirSync(dirname(file), { recursive: true });
    accessSync(dirname(file), constants.W_OK);
  } catch {
    return;
  }
  if (pending.length === 0) process.once("exit", saveCodeCaches);
  pending.push({ script, file, flags: cachedDataVersionTag() });
}

function saveCodeCaches(): void {
  for (const { script, file, flags } of pending.splice(0)) {
    // V8 stamps a cache with the flags of the moment it is made, and rejects it under other flags: one made
    // after a flag changed (turbofan.ts) would be rejected, and made again, on every run.
    if (flags !== cachedDataVersionTag()) continue;
    const temporary = `${file}.${process.pid}.tmp`;
    try {
      writeFileSync(temporary, script.createCachedData());
      renameSync(temporary, file);
    } catch {
      // A full disk costs speed, never a failed run.
      rmSync(temporary, { force: true });
    }
  }
}
