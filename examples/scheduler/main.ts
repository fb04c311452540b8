// `npm run example:scheduler -- --server http://127.0.0.1:8080` (the example server), or with no --server the
// current context of $KUBECONFIG / ~/.kube/config. One pass by default; `--watch` keeps scheduling: it lists
// pods and nodes once, then watches them and binds each pending pod as soon as it appears (Ctrl-C stops it).
import { parseArgs } from "node:util";
import { fromKubeconfig } from "../k8s/node.js";
import { type Decision, scheduleOnce, watchAndSchedule } from "./scheduler.js";

const { values } = parseArgs({ options: { server: { type: "string" }, token: { type: "string" }, name: { type: "string", default: "example-scheduler" }, watch: { type: "boolean", default: false } } });
const say = (decision: Decision) => console.log("node" in decision ? `bound ${decision.pod} to ${decision.node}` : `skipped ${decision.pod}: ${decision.skipped}`);
try {
  const options = values.server ? { baseUrl: values.server, ...(values.token && { token: values.token }) } : fromKubeconfig();
  if (values.watch) {
    const stop = new AbortController();
    process.once("SIGINT", () => stop.abort());
    process.once("SIGTERM", () => stop.abort());
    await watchAndSchedule(options, { schedulerName: values.name, signal: stop.signal, onDecision: say, onRetry: (error) => console.error(`example-scheduler: ${error.message}; trying again`) });
  } else {
    const decisions = await scheduleOnce(options, values.name);
    if (decisions.length === 0) console.log(`no pending pods for ${values.name}`);
    decisions.forEach(say);
  }
} catch (error) {
  console.error(`example-scheduler: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
