// The same route on Fastify, validating with the document's own JSON schemas (argv: the Swagger file):
// path, query (dryRun=All, fieldValidation) and body against the Binding definition and everything it
// references. Ajv options match what gen-binding checks: no type coercion, nothing silently removed,
// every error collected. Listens on 127.0.0.1, prints its port, exits when stdin closes.
import { readFileSync } from "node:fs";
import Fastify from "fastify";

const document = JSON.parse(readFileSync(process.argv[2], "utf8"));
const SUCCESS = { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", code: 201 };
const app = Fastify({
  logger: false,
  ajv: { customOptions: { strict: false, coerceTypes: false, removeAdditional: false, allErrors: true, useDefaults: false } },
});
// Swagger's "#/definitions/..." references resolve inside this one schema document.
app.addSchema({ $id: "k8s", definitions: document.definitions });
app.post(
  "/api/v1/namespaces/:namespace/pods/:name/binding",
  {
    schema: {
      params: { type: "object", required: ["namespace", "name"], properties: { namespace: { type: "string", minLength: 1 }, name: { type: "string", minLength: 1 } } },
      querystring: {
        type: "object",
        properties: {
          dryRun: { enum: ["All"] },
          fieldManager: { type: "string" },
          fieldValidation: { enum: ["Ignore", "Warn", "Strict"] },
          pretty: { type: "string" },
        },
      },
      body: { $ref: "k8s#/definitions/io.k8s.api.core.v1.Binding" },
    },
  },
  async (_request, reply) => reply.code(201).send(SUCCESS),
);
const address = await app.listen({ port: 0, host: "127.0.0.1" });
process.stdout.write(`${new URL(address).port}\n`);
app.server.keepAliveTimeout = 60_000;
process.stdin.resume().on("end", () => process.exit(0));
