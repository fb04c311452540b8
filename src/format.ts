import { format } from "prettier";

/**
 * Formats emitted TypeScript in process with fixed options, never a project's prettier config: the
 * same input must give the same bytes on every machine.
 */
export async function formatTypeScript(source: string, fileName: string): Promise<string> {
  try {
    return await format(source, { parser: "babel-ts", filepath: fileName, printWidth: 100, trailingComma: "all", endOfLine: "lf" });
  } catch (error) {
    // Emitted code that does not parse is a generator bug; say which file, and where.
    throw new Error(`internal error: emitted ${fileName} is not valid TypeScript: ${(error as Error).message.split("\n")[0]}`);
  }
}
