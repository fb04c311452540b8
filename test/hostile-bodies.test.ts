import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadGenerated } from "./helpers/generated.js";
import { startServer } from "./helpers/http.js";
import { EXAMPLE_SPEC } from "./helpers/run.js";

/**
 * The worst bodies of issue 14 (a security review of the routes generated from v1.36), sent to the generated
 * routes of Binding, Pod and Node on a real node:http server. Before the fix these answers were 162 MB to
 * 259 MB and took 3 to 5 s each (or a 500); each is now at most 64 KiB, within 1 s, and a Status that says
 * what it refused and how many more problems it left out.
 */
const MAX_ANSWER_BYTES = 64 * 1024;
const BUDGET_MS = 1000;
const PODS = "/api/v1/namespaces/default/pods";
const POD_BINDING = `${PODS}/web-1/binding`;

/** `{"k":1,"k":{"k":1,"k":{...}}}`: every level repeats its key, `depth` levels deep. */
function duplicateKeysNested(depth: number, key = "aaaa"): string {
  return `{"${key}":1,"${key}":`.repeat(depth) + "1" + "}".repeat(depth);
}

const binding = (extra: string) => `{"apiVersion":"v1","kind":"Binding","metadata":{"name":"web-1"},"target":{"name":"node-a"},${extra}}`;
const pod = (spec: string, metadata = '"name":"web-1"') => `{"apiVersion":"v1","kind":"Pod","metadata":{${metadata}},"spec":${spec}}`;
const repeated = (item: string, bytes: number) => Array.from({ length: Math.floor(bytes / (item.length + 1)) }, () => item).join(",");

interface Measured {
  status: number;
  /** Status line, headers and body, as they came over the wire (close enough: header lines plus body). */
  bytes: number;
  ms: number;
  headers: Record<string, string | string[] | undefined>;
  body: any;
}

let port = 0;
let stop = () => {};
beforeAll(async () => {
  const { routes } = await loadGenerated(EXAMPLE_SPEC, "Binding,Pod,Node");
  const served = async () => ({ status: 201, body: { kind: "Status", apiVersion: "v1", status: "Success", code: 201 } });
  const handlers = new Proxy({}, { get: () => served });
  const server = await startServer(routes.createRequestListener(handlers));
  port = server.port;
  stop = server.close;
});
afterAll(() => stop());

function measure(path: string, body: string): Promise<Measured> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port, method: "POST", path, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const ms = performance.now() - started;
        const text = Buffer.concat(chunks).toString("utf8");
        const headerBytes = res.rawHeaders.reduce((sum, part) => sum + Buffer.byteLength(part) + 2, 0);
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch {
          // kept as text
        }
        resolve({ status: res.statusCode ?? 0, bytes: headerBytes + Buffer.byteLength(text), ms, headers: res.headers, body: parsed });
      });
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

const report: string[] = [];
afterAll(() => console.log(`hostile bodies (answer bytes, ms):\n${report.join("\n")}`));

describe("the worst bodies of issue 14: bounded answers, linear work", () => {
  const cases: Array<[string, string, string, number, (answer: Measured) => void]> = [
    [
      "Warn: an unknown field of objects nested 9,000 deep, each level repeating its key (was a 243 MB Warning header, 4-5 s)",
      POD_BINDING,
      binding(`"extra":${duplicateKeysNested(9000)}`),
      201,
      (answer) => {
        const warnings = String(answer.headers["warning"]);
        expect(warnings).toMatch(/^299 - "unknown field \\"extra\\"", 299 - "duplicate field \\"extra\.aaaa\\""/);
        expect(warnings.length).toBeLessThanOrEqual(4096 + 256 + 2048);
      },
    ],
    [
      "Strict: the same body (was a 162 MB 400)",
      `${POD_BINDING}?fieldValidation=Strict`,
      binding(`"extra":${duplicateKeysNested(9000)}`),
      400,
      (answer) => expect(answer.body.message).toMatch(/^strict decoding error: unknown field "extra", duplicate field "extra\.aaaa", .*, and \d+ more$/),
    ],
    [
      "metadata.finalizers: [1,1,...], 2.8 MB (was a 259 MB 422 after 3.5 s)",
      PODS,
      pod('{"containers":[{"name":"a","image":"b"}]}', `"name":"web-1","finalizers":[${repeated("1", 2.8e6)}]`),
      422,
      (answer) => {
        const causes = answer.body.details.causes;
        expect(causes.length).toBeLessThanOrEqual(101);
        expect(causes[0]).toEqual({ reason: "FieldValueTypeInvalid", message: "Invalid value: 1: must be a string", field: "metadata.finalizers[0]" });
        expect(causes.at(-1)).toEqual({ reason: "FieldValueTooMany", message: "and 1399900 more problems", field: "" });
        expect(answer.body.message).toMatch(/^Pod "web-1" is invalid: \[metadata\.finalizers\[0\]: Invalid value: 1: must be a string, .*, and 1399900 more\]$/);
      },
    ],
    [
      "Pod containers: [{},{},...], 2.8 MB (was a 129 MB 422)",
      PODS,
      pod(`{"containers":[${repeated("{}", 2.8e6)}]}`),
      422,
      (answer) => expect(answer.body.details.causes.at(-1).message).toMatch(/^and \d{6} more problems$/),
    ],
    [
      "Warn: 130,000 unknown fields (was a 500: push(...) RangeError)",
      POD_BINDING,
      binding(Array.from({ length: 130_000 }, (_, i) => `"u${i}":0`).join(",")),
      201,
      (answer) => expect(String(answer.headers["warning"])).toMatch(/^299 - "unknown field \\"u0\\"", /),
    ],
    [
      "Strict: 130,000 unknown fields",
      `${POD_BINDING}?fieldValidation=Strict`,
      binding(Array.from({ length: 130_000 }, (_, i) => `"u${i}":0`).join(",")),
      400,
      (answer) => expect(answer.body.message).toMatch(/, and 1299\d\d more$/),
    ],
    [
      "a 2 MB field name, unknown, under Strict",
      `${POD_BINDING}?fieldValidation=Strict`,
      binding(`"${"x".repeat(2e6)}":1`),
      400,
      (answer) => expect(answer.body.message).toMatch(/^strict decoding error: unknown field "x+\.\.\.x+"$/),
    ],
    [
      "a 2 MB kind string",
      PODS,
      `{"apiVersion":"v1","kind":"${"P".repeat(2e6)}","metadata":{"name":"web-1"},"spec":{"containers":[{"name":"a"}]}}`,
      400,
      (answer) => expect(answer.body.reason).toBe("BadRequest"),
    ],
    [
      "a 2 MB name in metadata",
      PODS,
      pod('{"containers":[{"name":"a"}]}', `"name":"${"a".repeat(2e6)}"`),
      422,
      (answer) => expect(answer.body.details.causes[0].field).toBe("metadata.name"),
    ],
  ];

  // A timed test on a shared 2-core machine: a measurement spoiled by another process is taken again.
  it.each(cases)("%s", { timeout: 60_000, retry: 2 }, async (name, path, body, status, check) => {
    const answer = await measure(path, body);
    report.push(`  ${name}: body ${(body.length / 1e6).toFixed(2)} MB -> ${answer.status}, ${answer.bytes} bytes, ${answer.ms.toFixed(0)} ms`);
    expect(answer.status).toBe(status);
    expect(answer.bytes).toBeLessThanOrEqual(MAX_ANSWER_BYTES);
    expect(answer.ms).toBeLessThan(BUDGET_MS);
    if (status >= 400) expect(answer.body).toMatchObject({ kind: "Status", code: status });
    check(answer);
  });
});
