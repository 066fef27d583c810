/**
 * The metadata every published package must carry, checked against the root package.json (the one place that says
 * which licence, which Node versions and which public repository): a LICENSE file listed in `files`, `license`,
 * `keywords`, `engines`, and `repository` (with `directory`), `homepage` and `bugs` derived from the root's
 * `repository` — or, while the root names no public repository, none of the three (no invented URLs).
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

/** The fields of a package.json this check reads. */
export interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  license?: string;
  keywords?: string[];
  files?: string[];
  engines?: Record<string, string>;
  repository?: { type?: string; url?: string; directory?: string } | string;
  homepage?: string;
  bugs?: { url?: string } | string;
  [key: string]: unknown;
}

/** A published workspace package: its folder relative to the root (posix) and its manifest. */
export interface PublishedPackage {
  readonly dir: string;
  readonly manifest: Manifest;
}

export function readManifest(file: string): Manifest {
  return JSON.parse(readFileSync(file, "utf8")) as Manifest;
}

/** The non-private packages under `packages/` (the only folder whose packages are published). */
export function publishedPackages(root: string): PublishedPackage[] {
  return readdirSync(join(root, "packages"), { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(root, "packages", e.name, "package.json")))
    .map((e) => ({ dir: `packages/${e.name}`, manifest: readManifest(join(root, "packages", e.name, "package.json")) }))
    .filter((p) => p.manifest.private !== true)
    .sort((a, b) => a.dir.localeCompare(b.dir));
}

/** The public repository's web address from the root's `repository` (`git+https://host/owner/name.git`), if any. */
export function repositoryWebUrl(rootManifest: Manifest): string | undefined {
  const repository = rootManifest.repository;
  const url = typeof repository === "string" ? repository : repository?.url;
  if (!url) return undefined;
  return url.replace(/^git\+/, "").replace(/\.git$/, "");
}

/** What `repository`, `homepage` and `bugs` of the package in `dir` must be, given the repository's web address. */
export function expectedLinks(web: string, dir: string) {
  return {
    repository: { type: "git", url: `git+${web}.git`, directory: dir },
    homepage: `${web}/tree/main/${dir}#readme`,
    bugs: { url: `${web}/issues` },
  };
}

/** Every problem with the published packages' metadata, one line each; empty when all is well. */
export function metadataProblems(root: string): string[] {
  const rootManifest = readManifest(join(root, "package.json"));
  const problems: string[] = [];
  const rootLicense = readFileSync(join(root, "LICENSE"), "utf8");
  const web = repositoryWebUrl(rootManifest);
  for (const { dir, manifest } of publishedPackages(root)) {
    const at = `${dir}/package.json`;
    if (manifest.license !== rootManifest.license) problems.push(`${at}: license ${manifest.license}, the root says ${rootManifest.license}`);
    const license = join(root, dir, "LICENSE");
    if (!existsSync(license)) problems.push(`${dir}: no LICENSE file`);
    else if (readFileSync(license, "utf8") !== rootLicense) problems.push(`${dir}/LICENSE differs from the root's LICENSE`);
    if (!manifest.files?.includes("LICENSE")) problems.push(`${at}: "files" does not list LICENSE`);
    if (!Array.isArray(manifest.keywords) || manifest.keywords.length === 0) problems.push(`${at}: no keywords`);
    const node = rootManifest.engines?.node;
    if (manifest.engines?.node !== node) problems.push(`${at}: engines.node ${manifest.engines?.node ?? "missing"}, the root says ${node}`);
    if (web) {
      const want = expectedLinks(web, dir);
      for (const key of ["repository", "homepage", "bugs"] as const) {
        if (JSON.stringify(manifest[key]) !== JSON.stringify(want[key])) {
          problems.push(`${at}: ${key} ${JSON.stringify(manifest[key])}, expected ${JSON.stringify(want[key])} (pnpm release:metadata --repository ${web} writes it)`);
        }
      }
    } else {
      for (const key of ["repository", "homepage", "bugs"] as const) {
        if (manifest[key] !== undefined) problems.push(`${at}: ${key} is set but the root package.json names no public repository`);
      }
    }
  }
  return problems;
}
