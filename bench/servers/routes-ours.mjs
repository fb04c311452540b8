// gen-binding's routes on node:http (argv: the bundled routes module): full validation, then a handler
// that answers as the apiserver does. Listens on 127.0.0.1, prints its port, exits when stdin closes.
import { createServer } from "node:http";

const { createRequestListener } = await import(process.argv[2]);
const SUCCESS = { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", code: 201 };
const answer = async () => ({ status: 201, body: SUCCESS });
const server = createServer(createRequestListener({ createNamespacedBinding: answer, createNamespacedPodBinding: answer }));
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => process.stdout.write(`${server.address().port}\n`));
process.stdin.resume().on("end", () => process.exit(0));
