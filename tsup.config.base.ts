import { defineConfig } from "tsup";

/**
 * How every Omnistock package is built: ESM and declarations from `src/index.ts`, against
 * the other packages' built output (`tsconfig.build.json` has no source paths).
 */
export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm"],
  dts: true,
  target: "node24",
  clean: true,
  sourcemap: true,
  tsconfig: "tsconfig.build.json",
  // Keep `node:` on built-in imports: some built-ins (`node:sqlite`) exist only with it.
  removeNodeProtocol: false,
});
