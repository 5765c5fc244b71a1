import type { Platform } from './types.js';

/** Maps Node's process.arch to the OCI architecture name. */
const nodeArchToOci: Readonly<Record<string, string>> = {
  x64: 'amd64',
  arm64: 'arm64',
  arm: 'arm',
  ia32: '386',
  ppc64: 'ppc64le',
  s390x: 's390x',
  riscv64: 'riscv64',
  loong64: 'loong64',
  mips64el: 'mips64le',
};

/** The platform of the machine we run on (linux only: RUN steps need Linux). */
export function hostPlatform(arch: string = process.arch): Platform {
  const architecture = nodeArchToOci[arch] ?? arch;
  return normalizePlatform({
    os: 'linux',
    architecture,
    ...(architecture === 'arm' ? { variant: 'v7' } : {}),
  });
}

/**
 * Parses `os/arch[/variant]` as containerd does: architecture aliases (`x86_64`, `aarch64`, `armhf`…) are
 * normalised and arm64 drops the default `v8` variant.
 */
export function parsePlatform(s: string): Platform {
  const parts = s.trim().toLowerCase().split('/');
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => p === '')) {
    throw new Error(`invalid platform ${JSON.stringify(s)}: expected os/arch[/variant], e.g. linux/amd64`);
  }
  const [os, architecture, variant] = parts as [string, string, string | undefined];
  return normalizePlatform({ os, architecture, ...(variant ? { variant } : {}) });
}

export function normalizePlatform(p: Platform): Platform {
  let architecture = p.architecture.toLowerCase();
  let variant = p.variant?.toLowerCase();
  switch (architecture) {
    case 'x86_64':
    case 'x86-64':
      architecture = 'amd64';
      variant = undefined;
      break;
    case 'i386':
    case 'i686':
      architecture = '386';
      break;
    case 'aarch64':
    case 'arm64':
      architecture = 'arm64';
      if (variant === '8' || variant === 'v8') variant = undefined;
      break;
    case 'armhf':
      architecture = 'arm';
      variant = 'v7';
      break;
    case 'armel':
      architecture = 'arm';
      variant = 'v6';
      break;
    case 'arm':
      if (variant === undefined || variant === '') variant = 'v7';
      else if (/^\d+$/.test(variant)) variant = `v${variant}`;
      break;
  }
  const out: { -readonly [K in keyof Platform]: Platform[K] } = { architecture, os: p.os.toLowerCase() };
  if (variant) out.variant = variant;
  if (p['os.version']) out['os.version'] = p['os.version'];
  return out;
}

export function formatPlatform(p: Platform): string {
  return p.variant ? `${p.os}/${p.architecture}/${p.variant}` : `${p.os}/${p.architecture}`;
}

/** True when an index entry's platform satisfies the wanted platform (after normalisation). */
export function platformMatches(want: Platform, have: Platform | undefined): boolean {
  if (!have) return false;
  const w = normalizePlatform(want);
  const h = normalizePlatform(have);
  if (w.os !== h.os || w.architecture !== h.architecture) return false;
  return (w.variant ?? '') === (h.variant ?? '');
}
