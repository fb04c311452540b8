export { generate, GENERATOR_VERSION } from "./generate.js";
export type { GenerateOptions, GenerateResult, HandlersReport } from "./generate.js";
export type { ApiChange, ApiChangeReport } from "./report.js";
export type { FileChange } from "./write.js";
export { GenBindingError } from "./errors.js";
export { defineConfig } from "./config.js";
export type { GenBindingConfig } from "./config.js";
export type { EmitPart } from "./parts.js";
