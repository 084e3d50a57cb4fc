/**
 * Finds the platforms' official specs, which live outside the repository in
 * `../shared/specs` beside the checkout (present in CI and for the Omnistock team, absent
 * in a user's clone). Tests that need them use {@link describeWithSpecs}: where the specs
 * are missing they are skipped with a message saying so, and CI fails on any skip.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe } from "vitest";

const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url));

/** Absolute path of the specs folder, or `undefined` where it is not present. */
export const specsDir: string | undefined = (() => {
  const candidates = [process.env.OMNISTOCK_SPECS_DIR, `${repoRoot}../shared/specs`];
  return candidates.find((dir): dir is string => dir !== undefined && existsSync(dir));
})();

/** Absolute path of a file under the specs folder. Only call inside {@link describeWithSpecs}. */
export function specPath(relative: string): string {
  if (specsDir === undefined) throw new Error("The platform specs are not present");
  return `${specsDir}/${relative}`;
}

/**
 * `describe` for tests that need the official specs; skipped loudly where they are absent.
 */
export function describeWithSpecs(name: string, body: () => void): void {
  if (specsDir === undefined) {
    console.warn(
      `[omnistock] SKIPPED "${name}": the platform specs (../shared/specs beside the checkout, or OMNISTOCK_SPECS_DIR) are not present.`,
    );
    describe.skip(`${name} [needs ../shared/specs]`, body);
    return;
  }
  describe(name, body);
}
