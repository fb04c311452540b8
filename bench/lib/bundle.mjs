import { gzipSync } from "node:zlib";
import { build } from "esbuild";

/** Bundles a program for Node (ESM) into `outfile`; returns its size in bytes, raw and gzipped (level 9). */
export async function bundle(entry, outfile, { minify }) {
  const result = await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    minify,
    platform: "node",
    format: "esm",
    target: "node20",
    write: true,
    metafile: false,
    logLevel: "silent",
    // The official client's CommonJS dependencies call require() on Node built-ins.
    banner: { js: 'import { createRequire as __cr } from "node:module"; const require = __cr(import.meta.url);' },
  });
  if (result.errors.length) throw new Error(result.errors.map((e) => e.text).join("\n"));
  const { readFileSync } = await import("node:fs");
  const bytes = readFileSync(outfile);
  return { bytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 9 }).length };
}
