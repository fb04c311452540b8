import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type * as TypeScript from "typescript";
import { requireWithCodeCache } from "./code-cache.js";
import { GenBindingError } from "./errors.js";

// `typescript` is a peer dependency (^5): a project shares its own copy instead of installing a second
// one. openapi-typescript 7, which writes models.ts, builds its types with TypeScript 5's compiler API;
// TypeScript 7 is the native port and has no JavaScript API, and openapi-typescript supports neither 6 nor 4.

const NEEDED = "writing models.ts needs TypeScript 5.x in your project (a peer dependency of gen-binding)";
const INSTALL = "npm install --save-dev typescript@5";

/**
 * The `typescript` module that Node resolves from `from` (gen-binding's own folder, so the user's
 * project), once it is known to be TypeScript 5 with its compiler API; loaded with the V8 code cache.
 * Throws {@link GenBindingError} with one line that says what was found and how to get what is needed
 * when none is installed, when it is another major version, or when it has no compiler API.
 */
export function requireTypeScript(from: string = import.meta.url): typeof TypeScript {
  const dir = findPackage("typescript", from);
  if (dir === undefined) throw new GenBindingError(`${NEEDED}, and none is installed: ${INSTALL}`);
  const version = packageVersion(dir);
  const major = Number(/^(\d+)\./.exec(version ?? "")?.[1]);
  if (major !== 5) throw new GenBindingError(`${NEEDED}; found ${whatIsFound(version, dir)}${whyNot(major)}: ${INSTALL}`);
  const ts = requireWithCodeCache<Partial<typeof TypeScript>>(dir);
  if (typeof ts.factory?.createInterfaceDeclaration !== "function" || typeof ts.createPrinter !== "function") {
    throw new GenBindingError(`${NEEDED}; found ${whatIsFound(version, dir)} without its compiler API (typescript.factory): ${INSTALL}`);
  }
  return ts as typeof TypeScript;
}

function whatIsFound(version: string | undefined, dir: string): string {
  return version === undefined ? `a typescript package with no readable version (${dir})` : `TypeScript ${version} (${dir})`;
}

/** Why a TypeScript of this major version will not do ("" when the version says nothing). */
function whyNot(major: number): string {
  if (Number.isNaN(major)) return "";
  if (major >= 7) return ", the native compiler, which has no JavaScript API";
  if (major === 6) return ", which openapi-typescript 7 does not support";
  return ", which is too old for openapi-typescript 7";
}

/**
 * The folder of `name` as `require` would find it from `from`, found by its package.json rather than
 * through `require.resolve`, which also applies the package's `exports` (TypeScript 7 exports no compiler).
 */
function findPackage(name: string, from: string): string | undefined {
  for (const nodeModules of createRequire(from).resolve.paths(name) ?? []) {
    const dir = join(nodeModules, name);
    if (existsSync(join(dir, "package.json"))) return dir;
  }
  return undefined;
}

function packageVersion(dir: string): string | undefined {
  try {
    const { version } = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { version?: unknown };
    return typeof version === "string" ? version : undefined;
  } catch {
    return undefined;
  }
}
