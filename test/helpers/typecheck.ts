import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import ts from "typescript";

/** The strictest settings a user may compile the output with (tsconfig "strictest" plus the flags). */
const STRICTEST: ts.CompilerOptions = {
  strict: true,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  noImplicitOverride: true,
  noImplicitReturns: true,
  noFallthroughCasesInSwitch: true,
  noPropertyAccessFromIndexSignature: true,
  noUnusedLocals: true,
  noUnusedParameters: true,
  verbatimModuleSyntax: true,
  isolatedModules: true,
  allowUnreachableCode: false,
  noEmit: true,
  // Only .d.ts files are skipped: every emitted file is .ts and fully checked. Checking lib.dom and
  // @types/node (which node.ts references) again for every compile would triple the suite's time.
  skipLibCheck: true,
  target: ts.ScriptTarget.ES2022,
  lib: ["lib.es2022.d.ts", "lib.dom.d.ts"],
  types: [],
};

export const MODULE_SETTINGS = {
  nodenext: { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext },
  bundler: { module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler },
} as const;

const previousPrograms = new Map<string, ts.Program>();

/** Type-checks every `.ts` file of a folder (plus `extra` files) and returns the diagnostics as text lines. */
export function typecheck(dir: string, mode: keyof typeof MODULE_SETTINGS, extra: string[] = [], overrides: ts.CompilerOptions = {}): string[] {
  return typecheckFolders([dir], mode, extra, overrides);
}

/**
 * Type-checks the `.ts` files of many folders in one program: the standard library is parsed and checked
 * once, which makes checking hundreds of generated folders affordable.
 */
export function typecheckFolders(dirs: readonly string[], mode: keyof typeof MODULE_SETTINGS, extra: string[] = [], overrides: ts.CompilerOptions = {}): string[] {
  const files = dirs.flatMap((dir) => readdirSync(dir).filter((f) => f.endsWith(".ts")).map((f) => join(dir, f)));
  const options = { ...STRICTEST, ...MODULE_SETTINGS[mode], ...overrides };
  const key = JSON.stringify(options);
  // Handing the previous program over lets TypeScript reuse the parsed lib files (lib.dom, @types/node).
  const oldProgram = previousPrograms.get(key);
  const program = ts.createProgram({ rootNames: [...files, ...extra], options, ...(oldProgram && { oldProgram }) });
  previousPrograms.set(key, program);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file && d.start !== undefined ? `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}: ` : "";
    return `${where}${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
  });
}

/**
 * Type-checks one entry module and what it imports, without @types/node (a browser or bundler project):
 * the diagnostics, and the files the program reached.
 */
export function typecheckEntry(entry: string, mode: keyof typeof MODULE_SETTINGS): { diagnostics: string[]; files: string[] } {
  const options = { ...STRICTEST, ...MODULE_SETTINGS[mode], types: [] };
  const program = ts.createProgram({ rootNames: [entry], options });
  const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => `${d.file?.fileName ?? ""}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
  return { diagnostics, files: program.getSourceFiles().map((f) => f.fileName) };
}

/**
 * {@link typecheckFolders} in a child process: the same check, without blocking the test worker for the
 * minutes that hundreds of folders take (a blocked worker loses its RPC with vitest).
 */
export async function typecheckFoldersInChild(dirs: readonly string[], mode: keyof typeof MODULE_SETTINGS): Promise<string[]> {
  const files = dirs.flatMap((dir) => readdirSync(dir).filter((f) => f.endsWith(".ts")).map((f) => join(dir, f)));
  const work = mkdtempSync(join(tmpdir(), "typecheck-"));
  try {
    const input = join(work, "input.json");
    writeFileSync(input, JSON.stringify({ files, options: { ...STRICTEST, ...MODULE_SETTINGS[mode] } }));
    const { stdout } = await promisify(execFile)(process.execPath, [join(import.meta.dirname, "typecheck-child.mjs"), input], { maxBuffer: 256 * 1024 * 1024 });
    return JSON.parse(stdout) as string[];
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
