// Preloaded (node --require) into every timed process: on exit, writes the process's peak resident memory
// (KiB, from getrusage) to BENCH_RSS_FILE, so the bench needs no /usr/bin/time.
"use strict";
const { writeFileSync } = require("node:fs");
const target = process.env.BENCH_RSS_FILE;
if (target) process.on("exit", () => writeFileSync(target, String(process.resourceUsage().maxRSS)));
