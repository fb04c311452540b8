export { generate, GENERATOR_VERSION } from "./generate.js";
export type { GenerateOptions, GenerateResult, HandlersReport } from "./generate.js";
export type { ApiChange, ApiChangeReport } from "./report.js";
export type { FileChange } from "./write.js";
export { GenBindingError } from "./errors.js";
