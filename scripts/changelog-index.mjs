#!/usr/bin/env node
// Rebuilds the root CHANGELOG.md, the index of releases, from each package's CHANGELOG.md.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";

const rows = [];
for (const dir of readdirSync("packages").sort()) {
  const pkgPath = `packages/${dir}/package.json`;
  const logPath = `packages/${dir}/CHANGELOG.md`;
  if (!existsSync(pkgPath)) continue;
  const { name } = JSON.parse(readFileSync(pkgPath, "utf8"));
  const versions = existsSync(logPath)
    ? [...readFileSync(logPath, "utf8").matchAll(/^## (\S+)/gm)].map((m) => m[1])
    : [];
  rows.push(
    `| [\`${name}\`](packages/${dir}/CHANGELOG.md) | ${versions[0] ?? "unreleased"} | ${versions.slice(1).join(", ") || "—"} |`,
  );
}
writeFileSync(
  "CHANGELOG.md",
  `# Changelog\n\nThe index of Omnistock releases. Each package keeps its own \`CHANGELOG.md\`, written from\nthe changesets in \`.changeset/\` by \`pnpm version-packages\`, which also rebuilds this page.\n\n| package | latest | earlier |\n| --- | --- | --- |\n${rows.join("\n")}\n`,
);
