import { isUtf8 } from "node:buffer";
import { type FileHandle, open } from "node:fs/promises";
import { createRequire } from "node:module";
import { checkDepth } from "./depth.js";
import { GenBindingError } from "./errors.js";

/** A parsed API document and where it came from (for messages). */
export interface LoadedDocument {
  /** The parsed document, normalised to the Swagger 2.0 shape that the selector reads. */
  document: SwaggerDocument;
  /** The raw text, for hashing in build steps. */
  text: string;
  /** `swagger.json`, `https://...` or `<stdin>`: used in error messages. */
  origin: string;
}

/** The parts of a Swagger 2.0 document that gen-binding reads. */
export interface SwaggerDocument {
  swagger: string;
  info?: { title?: string; version?: string };
  definitions: Record<string, unknown>;
  parameters?: Record<string, unknown>;
  paths: Record<string, unknown>;
  securityDefinitions?: Record<string, unknown>;
  security?: unknown[];
}

/** Largest document accepted: the real ones are 3-4 MB; anything near this is not an API document. */
export const MAX_DOCUMENT_BYTES = 64 * 1024 * 1024;

/**
 * Reads the document from a file path, an http(s) URL, or `-` (standard input), and parses it as JSON or
 * YAML. Fails with a one-line {@link GenBindingError} that names the source and the problem.
 */
export async function loadDocument(source: string, stdin: NodeJS.ReadableStream = process.stdin): Promise<LoadedDocument> {
  const origin = source === "-" ? "<stdin>" : source;
  const text = await readSource(source, origin, stdin);
  return { document: parseDocument(text, origin), text, origin };
}

async function readSource(source: string, origin: string, stdin: NodeJS.ReadableStream): Promise<string> {
  if (source === "-") return decode(await readStream(stdin, origin), origin);
  if (/^https?:\/\//i.test(source)) return decode(await fetchDocument(source), origin);
  return decode(await readFileBounded(source, origin), origin);
}

/**
 * Reads a file without ever holding more than the limit: the size is checked before reading (a 200 MB file
 * costs nothing), and the read itself stops at the limit (devices and FIFOs report no size).
 */
async function readFileBounded(path: string, origin: string): Promise<Buffer> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, "r");
    const stats = await handle.stat();
    if (stats.isDirectory()) throw Object.assign(new Error("is a directory"), { code: "EISDIR" });
    if (stats.size > MAX_DOCUMENT_BYTES) throw tooLarge(origin, stats.size);
    // A regular file of known size is read in one go (the common case, and the fast one); anything else
    // in bounded chunks.
    if (stats.isFile()) return await handle.readFile();
    return await readStream(handle.createReadStream({ autoClose: false }), origin);
  } catch (error) {
    if (error instanceof GenBindingError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : code === "EACCES" ? "permission denied" : String((error as Error).message);
    throw new GenBindingError(`cannot read spec ${origin}: ${why}`);
  } finally {
    await handle?.close();
  }
}

function tooLarge(origin: string, bytes?: number): GenBindingError {
  const size = bytes === undefined ? "the document" : `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  return new GenBindingError(`${origin}: ${size} is larger than the ${MAX_DOCUMENT_BYTES / 1024 / 1024} MiB limit for an API document`);
}

async function readStream(stream: NodeJS.ReadableStream, origin: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === "string" ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array);
    size += buffer.length;
    if (size > MAX_DOCUMENT_BYTES) throw tooLarge(origin);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

async function fetchDocument(url: string): Promise<Buffer> {
  let response: Response;
  try {
    response = await fetch(url, { headers: { accept: "application/json, application/yaml;q=0.9" } });
  } catch (error) {
    throw new GenBindingError(`cannot fetch spec ${url}: ${(error as Error).cause ?? (error as Error).message}`);
  }
  if (!response.ok) throw new GenBindingError(`cannot fetch spec ${url}: HTTP ${response.status} ${response.statusText}`);
  if (!response.body) return Buffer.alloc(0);
  return readStream(response.body as unknown as NodeJS.ReadableStream, url);
}

function decode(bytes: Buffer, origin: string): string {
  if (bytes.length === 0) throw new GenBindingError(`${origin}: the file is empty`);
  if (bytes.includes(0)) throw new GenBindingError(`${origin}: binary data (NUL byte at offset ${bytes.indexOf(0)}), not a JSON or YAML document`);
  // isUtf8 + toString: the same check as a fatal TextDecoder, at a fraction of the cost on 4 MB.
  if (!isUtf8(bytes)) throw new GenBindingError(`${origin}: not valid UTF-8 text, so not a JSON or YAML document`);
  const text = bytes.toString("utf8");
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Parses JSON (the usual case, and the fast path) or YAML, then checks that the result is a Swagger 2.0
 * document. OpenAPI 3 documents are recognised and refused with a pointer to the v2 endpoint.
 */
export function parseDocument(text: string, origin: string): SwaggerDocument {
  const json = looksLikeJson(text);
  return checkDocument(json ? parseJson(text, origin) : parseYaml(text, origin), origin, !json);
}

function looksLikeJson(text: string): boolean {
  const first = text.trimStart()[0];
  return first === "{" || first === "[";
}

function parseJson(text: string, origin: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const at = /position (\d+)/.exec(message);
    const where = at ? ` at ${lineColumn(text, Number(at[1]))}` : "";
    throw new GenBindingError(`${origin}: not valid JSON${where}: ${message.split("\n")[0]}`);
  }
}

function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return `line ${line}, column ${offset - before.lastIndexOf("\n")}`;
}

function parseYaml(text: string, origin: string): unknown {
  // Loaded lazily: JSON is what kubectl returns, and YAML parsing should cost nothing then.
  const yaml = requireYaml();
  const document = yaml.parseDocument(text, { uniqueKeys: true });
  const problem = document.errors[0];
  if (problem) {
    const pos = problem.linePos?.[0];
    const where = pos ? ` at line ${pos.line}, column ${pos.col}` : "";
    throw new GenBindingError(`${origin}: neither JSON nor valid YAML${where}: ${problem.message.split("\n")[0]}`);
  }
  return document.toJS({ maxAliasCount: 100 });
}

function requireYaml(): typeof import("yaml") {
  return createRequire(import.meta.url)("yaml") as typeof import("yaml");
}

function checkDocument(value: unknown, origin: string, fromYaml: boolean): SwaggerDocument {
  if (!isRecord(value)) throw new GenBindingError(`${origin}: not a Swagger/OpenAPI document (the top level is ${describe(value)}, not an object)`);
  if (typeof value["openapi"] === "string") {
    throw new GenBindingError(
      `${origin}: OpenAPI ${value["openapi"]} documents are not supported; use the Swagger 2.0 document (kubectl get --raw /openapi/v2)`,
    );
  }
  if (value["swagger"] !== "2.0") {
    const found = "swagger" in value ? `"swagger": ${JSON.stringify(value["swagger"])}` : 'no "swagger" field';
    throw new GenBindingError(`${origin}: not a Swagger 2.0 document (${found}; expected "swagger": "2.0")`);
  }
  for (const key of ["definitions", "paths"] as const) {
    if (!isRecord(value[key])) throw new GenBindingError(`${origin}: #/${key} is ${describe(value[key])}; a Kubernetes document has an object there`);
  }
  // JSON.parse copes with any depth, and the selector checks the slice it walks (src/depth.ts); YAML is
  // checked whole here, as its parse is the slow path anyway.
  if (fromYaml) checkDepth(value, [], origin);
  return value as unknown as SwaggerDocument;
}

/** True for plain JSON objects (not arrays, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Names a JSON value's type for messages: `an array`, `a string`, `missing`. */
export function describe(value: unknown): string {
  if (value === undefined) return "missing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}
