/** What the registry holds, read with skopeo (an independent client) and from its access log. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { TestRegistry } from '../../helpers/registry.js';

const run = promisify(execFile);

export class RegistryView {
  constructor(private readonly registry: TestRegistry) {}

  /** Tags of a repository, sorted; [] when it does not exist. */
  async tags(repository: string): Promise<string[]> {
    try {
      const { stdout } = await run('skopeo', [
        'list-tags',
        ...this.registry.skopeoArgs(),
        `docker://${this.registry.host}/${repository}`,
      ]);
      return ((JSON.parse(stdout) as { Tags: string[] | null }).Tags ?? []).sort();
    } catch (err) {
      if (/name unknown|not found|404/i.test(String((err as { stderr?: string }).stderr ?? err))) return [];
      throw err;
    }
  }

  /** The manifest digest a tag points at. */
  async digest(repository: string, tag: string): Promise<string> {
    const { stdout } = await run('skopeo', [
      'inspect',
      ...this.registry.skopeoArgs(),
      '--format',
      '{{.Digest}}',
      `docker://${this.registry.host}/${repository}:${tag}`,
    ]);
    return stdout.trim();
  }

  /** The image config (labels, created) of a tag. */
  async config(
    repository: string,
    tag: string,
  ): Promise<{ created?: string; config?: { Labels?: Record<string, string> } }> {
    const { stdout } = await run('skopeo', [
      'inspect',
      ...this.registry.skopeoArgs(),
      '--config',
      `docker://${this.registry.host}/${repository}:${tag}`,
    ]);
    return JSON.parse(stdout) as { created?: string; config?: { Labels?: Record<string, string> } };
  }

  /** Requests in the access log so far; `writes` are PUT/POST/PATCH/DELETE (uploads, manifests, tags). */
  requests(): { all: number; writes: number } {
    const lines = this.registry
      .logs()
      .split('\n')
      .filter((l) => /"(GET|HEAD|PUT|POST|PATCH|DELETE) \/v2\//.test(l));
    return { all: lines.length, writes: lines.filter((l) => /"(PUT|POST|PATCH|DELETE) /.test(l)).length };
  }
}
