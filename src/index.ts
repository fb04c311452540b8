export { generate } from "./generate.js";
export type { GenerateOptions, GenerateResult } from "./generate.js";
export type { FileChange } from "./write.js";
export { GenBindingError } from "./errors.js";
