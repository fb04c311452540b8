// Runs `count` calls of a bundled caller (argv: caller module, base URL, count, concurrency) after a
// warm-up, and prints the calls per second and the client's CPU time per call as JSON.
const [callerModule, baseUrl, countText, concurrencyText] = process.argv.slice(2);
const { createCaller } = await import(callerModule);
const call = createCaller(baseUrl);
const count = Number(countText);
const concurrency = Number(concurrencyText);

async function run(total) {
  let started = 0;
  const worker = async () => {
    while (started < total) {
      started++;
      await call();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

await run(Math.min(500, count));
const start = performance.now();
const cpu = process.cpuUsage();
await run(count);
const seconds = (performance.now() - start) / 1000;
const used = process.cpuUsage(cpu);
// CPU time the client process spent per call: what the client itself costs, whatever the server can take.
const cpuMicrosPerCall = (used.user + used.system) / count;
process.stdout.write(`${JSON.stringify({ requestsPerSecond: count / seconds, cpuMicrosPerCall })}\n`);
