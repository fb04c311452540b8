// Preloaded (node --require) into every timed process: on exit, writes the process's peak resident memory
// (KiB) and CPU time (user + system, µs) from getrusage to BENCH_RSS_FILE, so the bench needs no
// /usr/bin/time. CPU time is the figure that other load on the machine does not inflate.
"use strict";
const { writeFileSync } = require("node:fs");
const target = process.env.BENCH_RSS_FILE;
if (target) {
  process.on("exit", () => {
    const usage = process.resourceUsage();
    writeFileSync(target, JSON.stringify({ maxRSS: usage.maxRSS, cpu: usage.userCPUTime + usage.systemCPUTime }));
  });
}
