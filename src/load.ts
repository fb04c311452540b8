import { isUtf8 } from "node:buffer";
import { type FileHandle, open } from "node:fs/promises";
import { createRequire } from "node:module";
import { checkDepth } from "./depth.js";
import { GenBindingError } from "./errors.js";
import { describe, isRecord } from "./json.js";
import { isOpenApi3, isOpenApi3Index, lowerOpenApi3 } from "./openapi3.js";

/** A parsed API document and where it came from (for messages). */
export interface LoadedDocument {
  /** The parsed document, normalised to the Swagger 2.0 shape that the selector reads. */
  document: SwaggerDocument;
  /** The raw text, for hashing in build steps. */
  text: string;
  /** `swagger.json`, `https://...` or `<stdin>`: used in error messages. */
  origin: string;
  /** `3.0.0` when the document was OpenAPI 3 (lowered into the Swagger 2.0 shape), else undefined. */
  openapi: string | undefined;
}

/** A source read and parsed as JSON or YAML, before it is checked as an API document. */
export interface ParsedSource {
  value: unknown;
  text: string;
  origin: string;
  fromYaml: boolean;
}

/** Gets the bytes behind an http(s) URL (the caller decides about credentials and time limits). */
export type FetchBytes = (url: string) => Promise<Buffer>;

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
export async function loadDocument(source: string, stdin: NodeJS.ReadableStream = process.stdin, fetchBytes: FetchBytes = fetchDocument): Promise<LoadedDocument> {
  return toLoadedDocument(await readSpec(source, stdin, fetchBytes));
}

/** Reads and parses a source as JSON or YAML, without checking what kind of document it is. */
export async function readSpec(source: string, stdin: NodeJS.ReadableStream = process.stdin, fetchBytes: FetchBytes = fetchDocument): Promise<ParsedSource> {
  const origin = source === "-" ? "<stdin>" : source;
  const text = await readSource(source, origin, stdin, fetchBytes);
  return { ...parseText(text, origin), text, origin };
}

/** A parsed source checked as a Swagger 2.0 or OpenAPI 3.0 document, the latter lowered into the shape of the former. */
export function toLoadedDocument(parsed: ParsedSource): LoadedDocument {
  const openapi = isRecord(parsed.value) && isOpenApi3(parsed.value) ? String(parsed.value["openapi"]) : undefined;
  return { document: checkDocument(parsed.value, parsed.origin, parsed.fromYaml), text: parsed.text, origin: parsed.origin, openapi };
}

/** True for `http://` and `https://` sources. */
export function isUrl(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

async function readSource(source: string, origin: string, stdin: NodeJS.ReadableStream, fetchBytes: FetchBytes): Promise<string> {
  if (source === "-") return decode(await readStream(stdin, origin), origin);
  if (isUrl(source)) return decode(await fetchBytes(source), origin);
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

/** Reads a stream to its end, refusing more than {@link MAX_DOCUMENT_BYTES}. */
export async function readStream(stream: NodeJS.ReadableStream, origin: string): Promise<Buffer> {
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

/** URLs without a transport of the caller's: no credentials, the default time limit (src/fetch.ts, loaded only then). */
async function fetchDocument(url: string): Promise<Buffer> {
  const { fetchBytes, plainTransport } = await import("./fetch.js");
  return fetchBytes(url, plainTransport());
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
 * document, or an OpenAPI 3.0 one, which is lowered into the Swagger 2.0 shape (src/openapi3.ts).
 */
export function parseDocument(text: string, origin: string): SwaggerDocument {
  const { value, fromYaml } = parseText(text, origin);
  return checkDocument(value, origin, fromYaml);
}

/** JSON (the usual case, and the fast path) or YAML; markup (an HTML page) is refused by name. */
function parseText(text: string, origin: string): { value: unknown; fromYaml: boolean } {
  const json = looksLikeJson(text);
  if (!json) refuseMarkup(text, origin);
  return { value: json ? parseJson(text, origin) : parseYaml(text, origin), fromYaml: !json };
}

/**
 * An HTML page where a document was expected (a URL that a login page, a proxy or a web server answers)
 * would otherwise parse as a YAML string: say what it is. JSON and YAML documents never start with `<`.
 */
function refuseMarkup(text: string, origin: string): void {
  const start = text.trimStart();
  if (!start.startsWith("<")) return;
  const html = /<!doctype html|<html[\s>]/i.test(start.slice(0, 4096));
  const what = html ? "an HTML page" : "markup (XML or HTML)";
  const hint = isUrl(origin) ? ": check the URL (a cluster serves its documents at /openapi/v2 and /openapi/v3; a proxy or login page may have answered)" : "";
  throw new GenBindingError(`${origin}: ${isUrl(origin) ? "the server answered with " : ""}${what}, not a JSON or YAML document${hint}`);
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
  if (isOpenApi3(value)) {
    if (fromYaml) checkDepth(value, [], origin);
    return lowerOpenApi3(value, origin);
  }
  if (isOpenApi3Index(value)) {
    throw new GenBindingError(
      `${origin}: this is a cluster's index of OpenAPI v3 documents (/openapi/v3), whose links are relative to the server: give its URL (--spec https://<server>/openapi/v3) or the documents themselves`,
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

