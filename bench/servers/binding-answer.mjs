// A stand-in apiserver for the client bench: answers every POST .../binding as a real apiserver does
// (201 and a Success Status). Listens on 127.0.0.1, prints its port, exits when stdin closes.
import { createServer } from "node:http";

const SUCCESS = JSON.stringify({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", code: 201 });
const server = createServer((request, response) => {
  request.resume();
  request.on("end", () => {
    const ok = request.method === "POST" && request.url?.endsWith("/binding");
    response.writeHead(ok ? 201 : 404, { "content-type": "application/json" }).end(ok ? SUCCESS : "{}");
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => process.stdout.write(`${server.address().port}\n`));
process.stdin.resume().on("end", () => process.exit(0));
