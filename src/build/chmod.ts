import { BuildStepError, type SourceLocation } from '../errors.js';

/** Applies a `--chmod` value to an entry's mode. */
export type ModeChange = (mode: number, isDir: boolean) => number;

/**
 * `--chmod` as BuildKit reads it: octal (up to 07777; the permission and special bits are replaced) or
 * symbolic like chmod(1) (`u=rwX,go=rX`, `+x`, `a-w`), applied to each entry's current mode.
 */
export function parseChmod(spec: string, location?: SourceLocation): ModeChange {
  if (/^[0-7]+$/.test(spec)) {
    const value = parseInt(spec, 8);
    if (value > 0o7777) throw badChmod(spec, location);
    return () => value;
  }
  const clauses = spec.split(',').map((c) => parseClause(c, spec, location));
  return (mode, isDir) => clauses.reduce((m, apply) => apply(m, isDir), mode & 0o7777);
}

type Clause = (mode: number, isDir: boolean) => number;

function parseClause(clause: string, spec: string, location?: SourceLocation): Clause {
  const m = /^([ugoa]*)([+=-])([rwxXst]*)$/.exec(clause);
  if (!m) throw badChmod(spec, location);
  const who = m[1] === '' || m[1]!.includes('a') ? 'ugo' : m[1]!;
  const op = m[2]!;
  const perms = m[3]!;
  return (mode, isDir) => {
    let bits = 0;
    const anyExec = (mode & 0o111) !== 0;
    for (const w of who) {
      const shift = w === 'u' ? 6 : w === 'g' ? 3 : 0;
      if (perms.includes('r')) bits |= 4 << shift;
      if (perms.includes('w')) bits |= 2 << shift;
      if (perms.includes('x') || (perms.includes('X') && (isDir || anyExec))) bits |= 1 << shift;
      if (perms.includes('s') && w === 'u') bits |= 0o4000;
      if (perms.includes('s') && w === 'g') bits |= 0o2000;
    }
    if (perms.includes('t')) bits |= 0o1000;
    if (op === '+') return mode | bits;
    if (op === '-') return mode & ~bits;
    let clear = 0;
    for (const w of who) clear |= w === 'u' ? 0o4700 : w === 'g' ? 0o2070 : 0o1007;
    return (mode & ~clear) | bits;
  };
}

function badChmod(spec: string, location?: SourceLocation): BuildStepError {
  return new BuildStepError(
    `invalid chmod parameter: '${spec}'. it should be octal string and between 0 and 07777, or symbolic like u=rwX,go=rX`,
    {
      ...(location ? { location } : {}),
    },
  );
}
