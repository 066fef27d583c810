/**
 * `pnpm release:metadata [--repository https://host/owner/name]`: checks the published packages' metadata (see
 * `package-metadata.ts`); it is this package's `test`, so `pnpm test` and CI run it. With `--repository` it first
 * writes the public repository into the root package.json and `repository` / `homepage` / `bugs` into every
 * published package.json (run it once, when the repository is public).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expectedLinks, metadataProblems, publishedPackages, readManifest, repositoryWebUrl, type Manifest } from "./package-metadata.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));

function writeManifest(file: string, manifest: Manifest): void {
  writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
}

function setRepository(web: string): void {
  if (!/^https:\/\/[^/\s]+\/[^/\s]+\/[^/\s]+$/.test(web)) {
    throw new Error(`--repository: expected the repository's web address, https://host/owner/name, received ${JSON.stringify(web)}`);
  }
  const rootFile = join(root, "package.json");
  const rootManifest = readManifest(rootFile);
  rootManifest.repository = { type: "git", url: `git+${web}.git` };
  writeManifest(rootFile, rootManifest);
  for (const { dir, manifest } of publishedPackages(root)) {
    writeManifest(join(root, dir, "package.json"), { ...manifest, ...expectedLinks(web, dir) });
  }
}

const argv = process.argv.slice(2).filter((a) => a !== "--");
try {
  if (argv[0] === "--repository") setRepository(argv[1] ?? "");
  else if (argv.length > 0) throw new Error(`unknown arguments ${argv.join(" ")}; usage: release:metadata [--repository https://host/owner/name]`);
  const problems = metadataProblems(root);
  const count = publishedPackages(root).length;
  for (const problem of problems) console.log(`  FAIL ${problem}`);
  const web = repositoryWebUrl(readManifest(join(root, "package.json")));
  console.log(
    problems.length
      ? `metadata: ${problems.length} problems in ${count} published packages`
      : `metadata: ${count} published packages have LICENSE, license, keywords and engines` +
          (web ? `, and repository/homepage/bugs of ${web}` : "; no public repository is named yet, so none has repository/homepage/bugs"),
  );
  process.exitCode = problems.length ? 1 : 0;
} catch (error) {
  console.error(`release:metadata: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
