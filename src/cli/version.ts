import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package version, read from the package's package.json at run time: it is two directories up both from
 * this source file (src/cli/) and from the bundle (dist/cli/index.js). `unknown` if it cannot be read.
 */
function readVersion(): string {
  try {
    const packageJson = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'package.json');
    const pkg = JSON.parse(readFileSync(packageJson, 'utf8')) as { name?: string; version?: string };
    return pkg.name === 'image-build' && typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

export const cliVersion: string = readVersion();

/** `image-build 0.1.0 (node v24.1.0, linux/x64)`. */
export function versionText(): string {
  return `image-build ${cliVersion} (node ${process.version}, ${process.platform}/${process.arch})`;
}
