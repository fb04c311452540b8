#!/usr/bin/env node
// The command npm links as `gen-binding`: runs the compiled CLI, dist/cli.js. A file of its own, present
// before anything is built: in a clone, npm ci builds nothing, and npm links (and npx caches) a bin only
// when its file exists, so a bin in dist/ would stay "not found" there even after a build.
import { existsSync } from "node:fs";

const cli = new URL("../dist/cli.js", import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write("gen-binding: dist/cli.js is missing: build it first (npm run build; a clone's npm ci builds nothing)\n");
  process.exit(2);
}
await import(cli.href);
