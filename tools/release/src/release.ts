/**
 * `pnpm release`: publishes the packages whose versions `pnpm version-packages` (changesets) raised.
 *   1. the metadata check (`package-metadata.ts`), and a public repository named in the root package.json;
 *   2. `turbo run build` of the published packages;
 *   3. `pnpm pack:check` (needs the npm registry: installs the tarballs in scratch projects);
 *   4. `changeset publish` (needs npm credentials; publishes what is not on the registry yet and tags it in git).
 *
 * `pnpm release --dry-run` (CI runs it; offline, no credentials): steps 1 (the repository may still be unnamed)
 * and 2, then `pnpm -r publish --dry-run --no-git-checks` of every published package with npm offline, and checks
 * that each one would be published at its version with LICENSE, README.md and dist/ in its tarball.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { metadataProblems, publishedPackages, readManifest, repositoryWebUrl } from "./package-metadata.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): string {
  console.log(`\n$ ${[command, ...args].join(" ")}`);
  const result = spawnSync(command, args, { cwd: root, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 * 1024 * 1024 });
  const output = `${result.stdout ?? ""}${result.stderr ?? ""}`;
  if (result.status !== 0) {
    console.log(output.trimEnd().split("\n").slice(-40).join("\n"));
    throw new Error(`${command} ${args.join(" ")} exited with ${result.status ?? result.signal}`);
  }
  return output;
}

/** The files of each package's tarball as listed by `npm publish --dry-run` ("npm notice <size> <path>"). */
function tarballListings(output: string): Map<string, { version: string; files: string[] }> {
  const listings = new Map<string, { version: string; files: string[] }>();
  let current: string[] | undefined;
  for (const line of output.split("\n")) {
    const header = /📦\s+(@?[^@\s]+)@(\S+)/.exec(line);
    if (header) {
      current = [];
      listings.set(header[1]!, { version: header[2]!, files: current });
      continue;
    }
    const file = /^npm notice\s+[\d.]+[kMG]?B\s+(\S+)$/.exec(line.trim());
    if (file && current) current.push(file[1]!);
  }
  return listings;
}

function main(): void {
  const dryRun = process.argv.includes("--dry-run");
  const unknown = process.argv.slice(2).filter((a) => a !== "--dry-run" && a !== "--");
  if (unknown.length) throw new Error(`unknown arguments ${unknown.join(" ")}; usage: pnpm release [--dry-run]`);
  const published = publishedPackages(root);

  const problems = metadataProblems(root);
  if (problems.length) throw new Error(`package metadata:\n${problems.map((p) => `  ${p}`).join("\n")}`);
  const web = repositoryWebUrl(readManifest(join(root, "package.json")));
  if (!web && !dryRun) {
    throw new Error(
      "the root package.json names no public repository, so the packages would have no repository, homepage or bugs link; " +
        "run `pnpm release:metadata --repository https://host/owner/name` first",
    );
  }

  run("pnpm", ["exec", "turbo", "run", "build", ...published.map((p) => `--filter=${p.manifest.name}`), "--output-logs=errors-only"]);
  if (!dryRun) {
    run("pnpm", ["pack:check", "--no-build"]);
    console.log(run("pnpm", ["exec", "changeset", "publish"]));
    return;
  }

  const offline = { ...process.env, npm_config_offline: "true" };
  const output = run("pnpm", ["-r", "--filter", "./packages/*", "publish", "--dry-run", "--no-git-checks"], offline);
  const listings = tarballListings(output);
  const failures: string[] = [];
  for (const { manifest } of published) {
    const listing = listings.get(manifest.name);
    if (!listing) failures.push(`${manifest.name}: not in the publish dry run`);
    else {
      if (listing.version !== manifest.version) failures.push(`${manifest.name}: would publish ${listing.version}, package.json says ${manifest.version}`);
      for (const wanted of ["LICENSE", "README.md", "package.json"]) {
        if (!listing.files.includes(wanted)) failures.push(`${manifest.name}: ${wanted} missing from the tarball`);
      }
      if (!listing.files.some((f) => f.startsWith("dist/"))) failures.push(`${manifest.name}: no dist/ in the tarball`);
      if (!output.includes(`+ ${manifest.name}@${manifest.version}`)) failures.push(`${manifest.name}: the dry run did not reach publishing`);
    }
  }
  if (failures.length) throw new Error(`publish dry run:\n${failures.map((f) => `  ${f}`).join("\n")}`);
  console.log(
    `\nrelease --dry-run: ${published.length} packages would be published (${published
      .map((p) => `${p.manifest.name}@${p.manifest.version}`)
      .join(", ")}), each with LICENSE, README.md and dist/.` + (web ? "" : " No public repository is named yet: `pnpm release` refuses until one is."),
  );
}

try {
  main();
} catch (error) {
  console.error(`\nrelease: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
