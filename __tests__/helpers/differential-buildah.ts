/**
 * buildah as the independent builder of the differential suite (Debian package `buildah`, run as root with
 * `STORAGE_DRIVER=vfs BUILDAH_ISOLATION=chroot` and storage of its own under a temp dir): builds a fixture,
 * exports the image as an OCI layout and returns the config buildah recorded.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ConfigDocument } from './differential-config.js';

const run = promisify(execFile);

export interface BuildahBuild {
  readonly contextDir: string;
  /** Path of the Dockerfile buildah reads. */
  readonly dockerfile: string;
  readonly tag: string;
  readonly buildArgs: Readonly<Record<string, string>>;
  readonly target?: string;
  readonly timestamp?: number;
  readonly format: 'oci' | 'docker';
  /** The OCI layout directory to export to (tag `latest`). */
  readonly layout: string;
}

export interface BuildahImage {
  readonly layout: string;
  readonly config: ConfigDocument;
}

export class Buildah {
  private readonly env: NodeJS.ProcessEnv;

  constructor(private readonly root: string) {
    // STORAGE_DRIVER alone is not enough: storage.conf's driver (overlay) wins unless the flag is given.
    this.env = { ...process.env, STORAGE_DRIVER: 'vfs', BUILDAH_ISOLATION: 'chroot' };
  }

  private async buildah(args: readonly string[]): Promise<string> {
    const storage = [
      '--root',
      join(this.root, 'root'),
      '--runroot',
      join(this.root, 'run'),
      '--storage-driver',
      'vfs',
    ];
    try {
      const { stdout } = await run('buildah', [...storage, ...args], {
        env: this.env,
        maxBuffer: 64 << 20,
      });
      return stdout;
    } catch (err) {
      const e = err as { stderr?: string; stdout?: string; message: string };
      throw new Error(`buildah ${args[0]} failed: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`, {
        cause: err,
      });
    }
  }

  /** `1.28.2` from `buildah --version`. */
  async version(): Promise<string> {
    const out = await this.buildah(['--version']);
    return /version (\S+)/.exec(out)?.[1] ?? out.trim();
  }

  async build(b: BuildahBuild): Promise<BuildahImage> {
    const args = [
      'bud',
      '--layers=false',
      '--format',
      b.format,
      '--tls-verify=false',
      '--pull=true',
      // BuildKit's RUN capability set is Docker's default: buildah's lacks these three.
      '--cap-add=CAP_MKNOD,CAP_NET_RAW,CAP_AUDIT_WRITE',
      '-q',
      '-f',
      b.dockerfile,
      '-t',
      b.tag,
      ...Object.entries(b.buildArgs).flatMap(([k, v]) => ['--build-arg', `${k}=${v}`]),
      ...(b.target !== undefined ? ['--target', b.target] : []),
      ...(b.timestamp !== undefined ? ['--timestamp', String(b.timestamp)] : []),
      b.contextDir,
    ];
    await this.buildah(args);
    await this.buildah(['push', '-q', b.tag, `oci:${b.layout}:latest`]);
    const inspected = JSON.parse(await this.buildah(['inspect', '--type', 'image', b.tag])) as {
      OCIv1: ConfigDocument;
      Docker: ConfigDocument;
    };
    await this.buildah(['rmi', '-f', b.tag]).catch(() => undefined);
    return { layout: b.layout, config: b.format === 'docker' ? inspected.Docker : inspected.OCIv1 };
  }
}
