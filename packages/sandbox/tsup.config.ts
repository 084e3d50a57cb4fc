import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm"],
  dts: { compilerOptions: { paths: {} } },
  target: "node24",
  clean: true,
  sourcemap: true,
  tsconfig: "tsconfig.build.json",
});
