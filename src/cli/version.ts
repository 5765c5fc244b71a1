import pkg from '../../package.json' with { type: 'json' };

/** The package version (bundled into dist/cli/index.js by ncc). */
export const cliVersion: string = pkg.version;

/** `image-build 0.1.0 (node v24.1.0, linux/x64)`. */
export function versionText(): string {
  return `image-build ${cliVersion} (node ${process.version}, ${process.platform}/${process.arch})`;
}
