import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { projects } from "./vitest.workspace.js";

const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  resolve: {
    // Workspace packages resolve to their TypeScript source, so tests need no build.
    alias: [
      {
        find: /^@omnistock\/([a-z0-9-]+)\/([a-z0-9-]+)$/,
        replacement: `${root}packages/$1/src/$2.ts`,
      },
      { find: /^@omnistock\/([a-z0-9-]+)$/, replacement: `${root}packages/$1/src/index.ts` },
    ],
  },
  test: {
    projects,
    setupFiles: [`${root}vitest.setup.ts`],
  },
});
