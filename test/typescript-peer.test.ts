import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { GenBindingError } from "../src/errors.js";
import { requireTypeScript } from "../src/typescript-peer.js";

// Projects outside the repository (under the system's temp folder), so that resolution cannot climb into
// this repository's own node_modules/typescript.
// No V8 code cache files from this test (plain require): the cache has its own tests.
process.env["GEN_BINDING_CODE_CACHE"] = "0";
const projects = mkdtempSync(join(tmpdir(), "gen-binding-ts-peer-"));
afterAll(() => rmSync(projects, { recursive: true, force: true }));

/** A project with `typescript` at `version` whose main module is `main`, or none; returns where gen-binding would sit. */
function project(name: string, typescript?: { version?: string; main: string }): string {
  const root = join(projects, name);
  const genBinding = join(root, "node_modules", "gen-binding", "dist");
  mkdirSync(genBinding, { recursive: true });
  if (typescript) {
    const dir = join(root, "node_modules", "typescript");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "typescript", ...(typescript.version && { version: typescript.version }), main: "main.js" }));
    writeFileSync(join(dir, "main.js"), typescript.main);
  }
  return pathToFileURL(join(genBinding, "typescript-peer.js")).href;
}

function failure(from: string): GenBindingError {
  try {
    requireTypeScript(from);
  } catch (error) {
    expect(error).toBeInstanceOf(GenBindingError);
    return error as GenBindingError;
  }
  throw new Error("requireTypeScript did not throw");
}

const API = "module.exports = { version: '5.9.3', factory: { createInterfaceDeclaration() {} }, createPrinter() {} };";
const INSTALL = "npm install --save-dev typescript@5";

describe("requireTypeScript: the user's own TypeScript 5 (a peer dependency)", () => {
  it.each([
    ["none installed", undefined, "writing models.ts needs TypeScript 5.x in your project (a peer dependency of gen-binding), and none is installed: npm install --save-dev typescript@5"],
    ["TypeScript 7 (the native port)", { version: "7.0.2", main: "module.exports = { version: '7.0.2' };" }, "found TypeScript 7.0.2 (DIR), the native compiler, which has no JavaScript API: " + INSTALL],
    ["TypeScript 6", { version: "6.0.3", main: API }, "found TypeScript 6.0.3 (DIR), which openapi-typescript 7 does not support: " + INSTALL],
    ["TypeScript 4", { version: "4.9.5", main: API }, "found TypeScript 4.9.5 (DIR), which is too old for openapi-typescript 7: " + INSTALL],
    ["a 5.x without the compiler API", { version: "5.9.3", main: "module.exports = {};" }, "found TypeScript 5.9.3 (DIR) without its compiler API (typescript.factory): " + INSTALL],
    ["a package with no version", { main: API }, "found a typescript package with no readable version (DIR): " + INSTALL],
  ])("%s: one line that says what was found and what to install", (name, typescript, want) => {
    const from = project(name.replace(/\W+/g, "-"), typescript);
    const error = failure(from);
    expect(error.message).toContain(want.replace("DIR", join(projects, name.replace(/\W+/g, "-"), "node_modules", "typescript")));
    expect(error.message).not.toContain("\n");
    expect(error.exitCode).toBe(2);
  });

  it("takes a TypeScript 5 with the compiler API from the project", () => {
    const ts = requireTypeScript(project("ts-5", { version: "5.9.3", main: API }));
    expect(ts.version).toBe("5.9.3");
  });

  it("takes the nearest one, as Node's require would (a copy nested under gen-binding first)", () => {
    const from = project("nested", { version: "7.0.2", main: "module.exports = {};" });
    const nested = join(projects, "nested", "node_modules", "gen-binding", "node_modules", "typescript");
    mkdirSync(nested, { recursive: true });
    writeFileSync(join(nested, "package.json"), JSON.stringify({ name: "typescript", version: "5.8.3", main: "main.js" }));
    writeFileSync(join(nested, "main.js"), API.replace("5.9.3", "5.8.3"));
    expect(requireTypeScript(from).version).toBe("5.8.3");
  });

  it("loads this repository's own TypeScript 5 (the real compiler)", () => {
    const ts = requireTypeScript(pathToFileURL(join(import.meta.dirname, "..", "src", "typescript-peer.ts")).href);
    expect(ts.version).toMatch(/^5\./);
    expect(ts.SyntaxKind.InterfaceDeclaration).toBeGreaterThan(0);
  });
});
