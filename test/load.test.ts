import { type ChildProcess, fork } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generate } from "../src/generate.js";
import { EXAMPLE_SPEC, readTree, tempDir } from "./helpers/run.js";
import { send } from "./helpers/http.js";

/**
 * Load: the generated server in its own process (started with --expose-gc, so its heap can be measured
 * after a collection), driven over 127.0.0.1 by concurrent clients that mix valid and invalid requests.
 */

const CLIENTS = 24;
const REQUESTS_PER_CLIENT = 150;
const BINDING = { apiVersion: "v1", kind: "Binding", metadata: { name: "web-1" }, target: { kind: "Node", name: "node-a" } };
const POD_BINDING = "/api/v1/namespaces/default/pods/web-1/binding";

/** The server process: the generated routes with handlers that echo the binding's target. */
const SERVER = `
import { createServer } from "node:http";
import { createRequestListener } from "./routes.js";
const ok = (request) => ({ body: { kind: "Status", apiVersion: "v1", status: "Success", code: 201, details: { name: request.body.target.name } } });
const server = createServer(createRequestListener({ createNamespacedBinding: ok, createNamespacedPodBinding: ok }, { bodyTimeoutMs: 5000 }));
server.listen(0, "127.0.0.1", () => process.send({ port: server.address().port }));
process.on("message", (message) => {
  if (message !== "heap") return;
  globalThis.gc();
  globalThis.gc();
  process.send({ heapUsed: process.memoryUsage().heapUsed });
});
`;

/** One request of the mix: what is sent, and the status a correct server answers with. */
interface Job {
  path: string;
  headers: Record<string, string>;
  body: string;
  want: number;
  /** For valid requests: the node name the handler echoes back. */
  node?: string | undefined;
}

function jobFor(client: number, index: number): Job {
  const json = { "content-type": "application/json" };
  const node = `node-${client}-${index}`;
  const valid = { path: POD_BINDING, headers: json, body: JSON.stringify({ ...BINDING, target: { kind: "Node", name: node } }), want: 201, node };
  switch (index % 10) {
    case 0:
    case 1:
    case 2:
    case 3:
    case 4:
      return valid;
    case 5:
      return { ...valid, body: '{"target": ', want: 400, node: undefined };
    case 6:
      return { ...valid, headers: { "content-type": "text/plain" }, want: 415, node: undefined };
    case 7:
      return { ...valid, path: "/api/v1/namespaces/default/pods/Not_Valid/binding", want: 404, node: undefined };
    case 8:
      return { ...valid, path: `${POD_BINDING}?fieldValidation=Strict`, body: JSON.stringify({ ...BINDING, extra: 1 }), want: 400, node: undefined };
    default:
      // Every 50th request is a body over the 3 MiB limit; the others are valid bodies of about 200 KB.
      return index % 50 === 9
        ? { ...valid, body: JSON.stringify({ ...BINDING, pad: "x".repeat(4 * 1024 * 1024) }), want: 413, node: undefined }
        : { ...valid, path: `${POD_BINDING}?fieldValidation=Ignore`, body: JSON.stringify({ ...BINDING, target: { kind: "Node", name: node }, pad: "x".repeat(200_000) }) };
  }
}

let child: ChildProcess;
let port = 0;

function ask<T>(message: string | undefined, key: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server process did not answer ${message ?? "start"}`)), 10_000);
    child.once("message", (reply: any) => {
      clearTimeout(timer);
      resolve(reply[key]);
    });
    if (message) child.send(message);
  });
}

beforeAll(async () => {
  const dir = tempDir("load");
  writeFileSync(join(dir, "package.json"), '{ "type": "module" }\n');
  await generate({ spec: EXAMPLE_SPEC, out: dir });
  // Each module transpiled alone is plain JavaScript node can run (type imports are erased).
  for (const file of Object.keys(readTree(dir)).filter((name) => name.endsWith(".ts"))) {
    const source = readFileSync(join(dir, file), "utf8");
    writeFileSync(join(dir, file.replace(/\.ts$/, ".js")), ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true } }).outputText);
  }
  writeFileSync(join(dir, "server.mjs"), SERVER);
  child = fork(join(dir, "server.mjs"), { execArgv: ["--expose-gc"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  port = await ask<number>(undefined, "port");
});
afterAll(() => child?.kill());

describe("the generated server under load", () => {
  it(`serves ${CLIENTS} concurrent clients x ${REQUESTS_PER_CLIENT} mixed requests: no failed valid request, no crash, memory back near its start`, async () => {
    const run = async (requests: number) => {
      const failures: string[] = [];
      let valid = 0;
      await Promise.all(
        Array.from({ length: CLIENTS }, async (_, client) => {
          for (let index = 0; index < requests; index++) {
            const job = jobFor(client, index);
            const answer = await send(port, { method: "POST", path: job.path, headers: job.headers, body: job.body }, 20_000).catch((error: Error) => ({ status: -1, body: error.message, headers: {} }));
            if (answer.status !== job.want) failures.push(`${job.path} -> ${answer.status} (want ${job.want}): ${JSON.stringify(answer.body).slice(0, 200)}`);
            else if (job.node) {
              valid++;
              if (answer.body?.details?.name !== job.node) failures.push(`answer for ${job.node} carried ${JSON.stringify(answer.body?.details)}`);
            }
          }
        }),
      );
      return { failures, valid };
    };
    await run(20); // warm up: JIT, buffers, sockets
    const before = await ask<number>("heap", "heapUsed");
    const started = Date.now();
    const { failures, valid } = await run(REQUESTS_PER_CLIENT);
    const seconds = (Date.now() - started) / 1000;
    const after = await ask<number>("heap", "heapUsed");
    const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
    console.log(
      `load: ${CLIENTS * REQUESTS_PER_CLIENT} requests (${valid} valid) in ${seconds.toFixed(1)} s, ${Math.round((CLIENTS * REQUESTS_PER_CLIENT) / seconds)} req/s; server heap ${mb(before)} MB before, ${mb(after)} MB after`,
    );
    expect(failures).toEqual([]);
    expect(child.exitCode).toBeNull();
    expect(after - before).toBeLessThan(8 * 1024 * 1024);
  }, 120_000);
});
