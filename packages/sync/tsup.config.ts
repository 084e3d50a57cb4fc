import { defineConfig } from "tsup";
import base from "../../tsup.config.base.js";

// The conformance suite for stores is a second entry: `@omnistock/sync/testing`.
export default defineConfig({ ...base, entry: ["src/index.ts", "src/testing.ts"] });
