/**
 * The test projects of the Omnistock workspace: one per package and one per example that
 * has tests, each run from TypeScript source with no prior build. `vitest.config.ts`
 * imports this list into `test.projects` (Vitest 4 and later no longer read this file on
 * their own), and `scripts/test-summary.mjs` checks that every project listed here ran.
 */
import { existsSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));

function projectsIn(folder: "packages" | "examples") {
  return readdirSync(`${here}${folder}`, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(`${here}${folder}/${entry.name}/test`))
    .map((entry) => entry.name)
    .sort()
    .map((name) => ({
      extends: true as const,
      test: {
        name: folder === "packages" ? name : `example-${name}`,
        root: `./${folder}/${name}`,
        include: ["test/**/*.test.ts"],
      },
    }));
}

export const projects = [...projectsIn("packages"), ...projectsIn("examples")];

export default projects;
