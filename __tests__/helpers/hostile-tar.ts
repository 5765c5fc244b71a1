/**
 * Builds deliberately malicious tar archives with GNU tar (an independent tool) — our own writer refuses to
 * produce them. Each member is staged in a temp dir and renamed on the way into the archive with --transform,
 * which can also rewrite symlink (`s`) and hardlink (`h`) targets.
 */
import { execFileSync } from 'node:child_process';
import { linkSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export type HostileMember =
  | { readonly kind: 'file'; readonly name: string; readonly data?: string }
  | { readonly kind: 'symlink'; readonly name: string; readonly target: string }
  | { readonly kind: 'hardlink'; readonly name: string; readonly target: string }
  | {
      readonly kind: 'device';
      readonly name: string;
      readonly type: 'c' | 'b';
      readonly major: number;
      readonly minor: number;
    }
  | { readonly kind: 'fifo'; readonly name: string };

/** Returns the archive bytes; members appear in the order given, with exactly the names given. */
export function hostileTar(members: readonly HostileMember[]): Buffer {
  const stage = mkdtempSync(join(tmpdir(), 'ib-hostile-'));
  try {
    const args: string[] = [];
    const transforms: string[] = [];
    members.forEach((m, i) => {
      const staged = `m${i}`;
      const p = join(stage, staged);
      switch (m.kind) {
        case 'file':
          writeFileSync(p, m.data ?? 'x');
          break;
        case 'symlink':
          symlinkSync(m.target, p);
          break;
        case 'hardlink': {
          // a hidden anchor the link points at, renamed (in link targets only) to the wanted target
          const anchor = `a${i}`;
          writeFileSync(join(stage, anchor), 'anchor');
          linkSync(join(stage, anchor), p);
          args.push(anchor);
          transforms.push(`--transform=s,^${anchor}$,${escapeSed(m.target)},hRS`);
          transforms.push(`--transform=s,^${anchor}$,anchor-${i},rSH`);
          break;
        }
        case 'device':
          execFileSync('mknod', [p, m.type, String(m.major), String(m.minor)]);
          break;
        case 'fifo':
          execFileSync('mkfifo', [p]);
          break;
      }
      args.push(staged);
      transforms.push(`--transform=s,^${staged}$,${escapeSed(m.name)},rsh`);
    });
    mkdirSync(dirname(join(stage, 'x')), { recursive: true });
    return execFileSync('tar', ['-c', '-f', '-', '-P', '--format=pax', '-C', stage, ...transforms, ...args], {
      maxBuffer: 1 << 26,
    });
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

function escapeSed(s: string): string {
  return s.replace(/[\\,&]/g, (c) => `\\${c}`);
}
