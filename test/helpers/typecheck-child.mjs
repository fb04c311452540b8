// Runs in a child process for typecheckFoldersInChild (test/helpers/typecheck.ts): a type-check of hundreds
// of folders takes minutes of synchronous work, which would block the test worker's event loop (vitest then
// loses its RPC with the worker). Input: a JSON file path (argv[2]) holding { files, options }; output: the
// diagnostics as a JSON array of text lines on stdout.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const ts = createRequire(import.meta.url)("typescript");
const { files, options } = JSON.parse(readFileSync(process.argv[2], "utf8"));
const program = ts.createProgram({ rootNames: files, options });
const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => {
  const where = d.file && d.start !== undefined ? `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}: ` : "";
  return `${where}${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
});
process.stdout.write(JSON.stringify(diagnostics));
