import { defineConfig } from "tsup";
import base from "../../tsup.config.base.js";

// Two more entries: the test kits (`@omnistock/transport/testing`) and the helpers only
// Omnistock's adapters use (`@omnistock/transport/internal`, not covered by semver).
// `fast-check` is only named in the kits' types: the caller passes its own.
export default defineConfig({
  ...base,
  entry: ["src/index.ts", "src/testing.ts", "src/internal.ts"],
  external: ["fast-check"],
});
