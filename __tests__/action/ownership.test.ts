import { lstatSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chownTree, invokerOf } from '../../src/action/ownership.js';

describe('invokerOf', () => {
  it.each([
    { name: 'the sudo user', given: { SUDO_UID: '1001', SUDO_GID: '121' }, want: { uid: 1001, gid: 121 } },
    { name: 'not under sudo', given: {}, want: undefined },
    { name: 'garbage', given: { SUDO_UID: 'x', SUDO_GID: '1' }, want: undefined },
  ])('$name', ({ given, want }) => {
    expect(invokerOf(given)).toEqual(want);
  });
});

describe('chownTree', () => {
  it('gives a whole export tree to the user, without following symlinks out of it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ib-chown-'));
    try {
      mkdirSync(join(dir, 'out/blobs/sha256'), { recursive: true });
      writeFileSync(join(dir, 'out/blobs/sha256/abc'), 'x');
      writeFileSync(join(dir, 'outside'), 'y');
      symlinkSync(join(dir, 'outside'), join(dir, 'out/link'));
      await handOver(join(dir, 'out'));
      for (const p of ['out', 'out/blobs', 'out/blobs/sha256', 'out/blobs/sha256/abc']) {
        expect([p, lstatSync(join(dir, p)).uid, lstatSync(join(dir, p)).gid]).toEqual([p, 65534, 65533]);
      }
      expect(lstatSync(join(dir, 'outside')).uid).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

function handOver(path: string): Promise<void> {
  return chownTree(path, { uid: 65534, gid: 65533 });
}
