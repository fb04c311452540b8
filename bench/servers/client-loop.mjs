// Runs `count` calls of a bundled caller (argv: caller module, base URL, count, concurrency) after a
// warm-up, and prints the calls per second as JSON.
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
await run(count);
const seconds = (performance.now() - start) / 1000;
process.stdout.write(`${JSON.stringify({ requestsPerSecond: count / seconds })}\n`);
