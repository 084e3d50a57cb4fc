export * from "./schema.js";
export * from "./server.js";
