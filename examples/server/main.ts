// `npm run example:server [-- --port 8080]`: an API server with three pending pods and two nodes.
import { createExampleServer, listen } from "./server.js";
import { exampleCluster } from "./seed.js";

const portFlag = process.argv.indexOf("--port");
const port = Number(portFlag === -1 ? (process.env["PORT"] ?? 8080) : process.argv[portFlag + 1]);
const token = process.env["EXAMPLE_TOKEN"];
const server = createExampleServer(exampleCluster(), token ? { token } : {});
const url = await listen(server, port);
console.log(`example API server on ${url}${token ? " (bearer token required)" : ""}`);
console.log(`  pending pods:  curl -s '${url}/api/v1/namespaces/default/pods?fieldSelector=spec.nodeName='`);
console.log(`  schedule them: npm run example:scheduler -- --server ${url}`);
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => { server.closeAllConnections(); server.close(() => process.exit(0)); });
