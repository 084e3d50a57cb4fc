#!/usr/bin/env node
// Reads Vitest's JSON report and prints the closing line `N passed, N failed, N skipped`.
// Fails (exit 1) when a test failed, when a test project listed in vitest.workspace.ts ran
// no test at all, or — under CI — when any test was skipped (tests that need the platform
// specs skip where ../shared is absent, and CI must not pass on that).
import { readFileSync } from "node:fs";
import { relative } from "node:path";

const reportPath = process.argv[2] ?? ".reports/vitest.json";
let report;
try {
  report = JSON.parse(readFileSync(reportPath, "utf8"));
} catch (error) {
  console.log(`No test report at ${reportPath}: ${error.message}`);
  console.log("0 passed, 1 failed, 0 skipped");
  process.exit(1);
}

const { projects } = await import(new URL("../vitest.workspace.ts", import.meta.url).href).catch(
  async () => {
    // Plain Node cannot import TypeScript before 22.18; the workspace file is then read by tsx.
    const { tsImport } = await import("tsx/esm/api");
    return tsImport("../vitest.workspace.ts", import.meta.url);
  },
);

const root = process.cwd();
let passed = 0;
let failed = 0;
let skipped = 0;
const ranPerRoot = new Map(projects.map((p) => [p.test.root.replace(/^\.\//, ""), 0]));
const skippedNames = [];

for (const file of report.testResults ?? []) {
  const path = relative(root, file.name);
  for (const test of file.assertionResults ?? []) {
    if (test.status === "passed") passed++;
    else if (test.status === "failed") failed++;
    else {
      skipped++;
      skippedNames.push(`${path}: ${test.fullName ?? test.title}`);
    }
    if (test.status === "passed" || test.status === "failed") {
      for (const projectRoot of ranPerRoot.keys()) {
        if (path.startsWith(`${projectRoot}/`))
          ranPerRoot.set(projectRoot, ranPerRoot.get(projectRoot) + 1);
      }
    }
  }
  if (file.status === "failed" && (file.assertionResults ?? []).length === 0) {
    failed++;
    console.log(`Test file failed to run: ${path}: ${file.message ?? ""}`);
  }
}

const silent = [...ranPerRoot]
  .filter(([, count]) => count === 0)
  .map(([projectRoot]) => projectRoot);
for (const projectRoot of silent) console.log(`No test ran in ${projectRoot}`);
failed += silent.length;

if (process.env.CI && skipped > 0) {
  console.log("Skipped tests are failures in CI:");
  for (const name of skippedNames) console.log(`  ${name}`);
  failed += skipped;
  skipped = 0;
}

console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
