import { Node, type ObjectLiteralExpression, Project, type SourceFile, SyntaxKind } from "ts-morph";

/** What merging new operations into the user's handlers file did. */
export interface HandlersMerge {
  /** The new file text (equal to the input when nothing was added). */
  content: string;
  /** Operations whose stub was appended. */
  added: string[];
  /** Handler methods whose operation no longer exists (left in place). */
  orphaned: string[];
  /** Set when the `handlers` object could not be found: nothing was changed. */
  problem: string | undefined;
}

/**
 * The object literal that holds the handlers: the initializer of the top-level `handlers` variable (the file
 * as gen-binding writes it), else of the first variable anywhere typed `Handlers` (`const handlers: Handlers
 * = { ... }` inside a function that closes over the app's state).
 */
function handlersObject(file: SourceFile): ObjectLiteralExpression | undefined {
  const typed = file.getDescendantsOfKind(SyntaxKind.VariableDeclaration).find((d) => d.getTypeNode()?.getText() === "Handlers");
  const declaration = file.getVariableDeclaration("handlers") ?? typed;
  const object = declaration?.getInitializer();
  return object && Node.isObjectLiteralExpression(object) ? object : object?.getFirstDescendantByKind(SyntaxKind.ObjectLiteralExpression);
}

/**
 * Adds a stub for each operation that the user's `handlers.ts` lacks, as text inserted into the
 * `handlers` object literal, so that every existing line stays byte for byte as it was. ts-morph finds
 * the object and its members; the file is never re-printed.
 */
export function mergeHandlers(text: string, operations: readonly string[], stubFor: (name: string) => string): HandlersMerge {
  const project = new Project({ useInMemoryFileSystem: true, skipLoadingLibFiles: true });
  const file = project.createSourceFile("/handlers.ts", text);
  const literal = handlersObject(file);
  if (!literal) {
    return { content: text, added: [], orphaned: [], problem: "the handlers file has no `handlers` object literal (nor a variable typed `Handlers`); add the new handler methods by hand" };
  }
  const present = new Set(
    literal.getProperties().flatMap((property) => (Node.isMethodDeclaration(property) || Node.isPropertyAssignment(property) || Node.isShorthandPropertyAssignment(property) ? [property.getName()] : [])),
  );
  const added = operations.filter((name) => !present.has(name));
  const orphaned = [...present].filter((name) => !operations.includes(name)).sort();
  if (added.length === 0) return { content: text, added, orphaned, problem: undefined };
  const snippet = added.map((name) => stubFor(name).replace(/\n*$/, "\n")).join("");
  const properties = literal.getProperties();
  const last = properties[properties.length - 1];
  const closing = literal.getEnd() - 1;
  const afterLast = last ? text.slice(last.getEnd(), closing) : "";
  const lineStart = (position: number) => text.lastIndexOf("\n", position - 1) + 1;
  let at: number;
  if (!last || afterLast.includes(",")) {
    // Before the line of the closing brace, when that line holds nothing else.
    const start = lineStart(closing);
    at = text.slice(start, closing).trim() === "" ? start : closing;
  } else {
    // The last member has no trailing comma: insert first, where the new text's own commas suffice.
    const open = literal.getStart() + 1;
    const next = text.indexOf("\n", open);
    at = next === -1 ? open : next + 1;
  }
  const prefix = at > 0 && text[at - 1] !== "\n" ? "\n" : "";
  let content = text.slice(0, at) + prefix + snippet + text.slice(at);
  // A file written for a kind without operations imports only the Handlers type: the stubs need
  // statusAnswer too, on a line of its own after the last import (existing lines stay as they are).
  const imported = file.getImportDeclarations().some((d) => d.getNamedImports().some((n) => (n.getAliasNode()?.getText() ?? n.getName()) === "statusAnswer"));
  if (snippet.includes("statusAnswer(") && !imported) {
    const lastImport = file.getImportDeclarations().at(-1);
    const lineEnd = lastImport ? text.indexOf("\n", lastImport.getEnd()) : -1;
    const where = lastImport ? (lineEnd === -1 ? text.length : lineEnd + 1) : 0;
    const line = 'import { statusAnswer } from "./routes.js";\n';
    content = content.slice(0, where) + (where > 0 && content[where - 1] !== "\n" ? "\n" : "") + line + content.slice(where);
  }
  return { content, added, orphaned, problem: undefined };
}
