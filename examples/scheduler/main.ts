// `npm run example:scheduler -- --server http://127.0.0.1:8080` (the example server), or with no --server the
// current context of $KUBECONFIG / ~/.kube/config. `--every 2` keeps scheduling every 2 seconds.
import { parseArgs } from "node:util";
import { fromKubeconfig } from "../k8s/node.js";
import { scheduleOnce } from "./scheduler.js";

const { values } = parseArgs({ options: { server: { type: "string" }, token: { type: "string" }, name: { type: "string", default: "example-scheduler" }, every: { type: "string" } } });
try {
  const options = values.server ? { baseUrl: values.server, ...(values.token && { token: values.token }) } : fromKubeconfig();
  do {
    const decisions = await scheduleOnce(options, values.name);
    if (decisions.length === 0 && !values.every) console.log(`no pending pods for ${values.name}`);
    for (const decision of decisions) console.log("node" in decision ? `bound ${decision.pod} to ${decision.node}` : `skipped ${decision.pod}: ${decision.skipped}`);
    if (values.every) await new Promise((resolve) => setTimeout(resolve, Number(values.every) * 1000));
  } while (values.every);
} catch (error) {
  console.error(`example-scheduler: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
