/**
 * `RUN --mount=…` as BuildKit reads it. At parse time the value is only split into CSV fields (option
 * values may use variables, except `from`); once expanded, `resolveMount` types and validates it and fills
 * in BuildKit's defaults.
 */
import { CsvError, csvFields } from '../csv-value.js';
import { closestMatch, didYouMean } from '../suggest.js';
import { parseGoBool, parseGoUint, parseRamInBytes } from './go-numbers.js';
import type { CacheSharing, Mount, MountField, MountFlag, MountType, SecretMount } from './mount-types.js';

export type * from './mount-types.js';

/** A `--mount` value BuildKit rejects; the caller adds the location. */
export class MountError extends Error {}

const mountTypes: readonly MountType[] = ['bind', 'cache', 'tmpfs', 'secret', 'ssh'];
const sharingModes: readonly CacheSharing[] = ['shared', 'private', 'locked'];
const allKeys = [
  'type',
  'from',
  'source',
  'target',
  'readonly',
  'id',
  'sharing',
  'required',
  'size',
  'mode',
  'uid',
  'gid',
  'src',
  'dst',
  'destination',
  'ro',
  'rw',
  'readwrite',
  'env',
];

/** Parse-time reading: CSV fields; `from` must not use variables. Throws MountError. */
export function parseMountFlag(raw: string): MountFlag {
  let texts: string[];
  try {
    texts = csvFields(raw);
  } catch (err) {
    throw new MountError(
      `failed to parse csv mounts: ${err instanceof CsvError ? err.message : String(err)}`,
    );
  }
  const fields = texts.map((text): MountField => {
    const eq = text.indexOf('=');
    return {
      text,
      key: (eq < 0 ? text : text.slice(0, eq)).toLowerCase(),
      value: eq < 0 ? undefined : text.slice(eq + 1),
    };
  });
  for (const f of fields) {
    const dollar = f.key === 'from' && f.value !== undefined ? f.value.indexOf('$') : -1;
    if (dollar >= 0 && dollar !== f.value!.length - 1) {
      throw new MountError("'from' doesn't support variable expansion, define alias stage instead");
    }
  }
  return { raw, fields };
}

/** The raw options BuildKit's `Mount` struct collects before validation. */
interface RawMount {
  type: MountType;
  from: string;
  source: string;
  target: string;
  readOnly: boolean | undefined;
  sizeBytes: number | undefined;
  id: string;
  sharing: CacheSharing | undefined;
  required: boolean;
  env: string | undefined;
  mode: number | undefined;
  uid: number | undefined;
  gid: number | undefined;
}

/** Types and validates a mount whose option values have been expanded by `expand`. Throws MountError. */
export function resolveMount(flag: MountFlag, expand: (value: string) => string = (v) => v): Mount {
  const m: RawMount = {
    type: 'bind',
    from: '',
    source: '',
    target: '',
    readOnly: undefined,
    sizeBytes: undefined,
    id: '',
    sharing: undefined,
    required: false,
    env: undefined,
    mode: undefined,
    uid: undefined,
    gid: undefined,
  };
  for (const field of flag.fields) {
    if (field.value === undefined) applyBareKey(m, field);
    else applyKey(m, field, expand(field.value));
  }
  validate(m);
  return typed(m);
}

function applyBareKey(m: RawMount, field: MountField): void {
  if (field.key === 'readonly' || field.key === 'ro') m.readOnly = true;
  else if (field.key === 'readwrite' || field.key === 'rw') m.readOnly = false;
  else if (field.key === 'required') m.required = requiredAllowed(m, field.key);
  else throw new MountError(`invalid field '${field.text}' must be a key=value pair`);
}

function requiredAllowed(m: RawMount, key: string): true {
  if (m.type === 'secret' || m.type === 'ssh') return true;
  throw new MountError(`unexpected key '${key}' for mount type '${m.type}'`);
}

type Setter = (m: RawMount, value: string, key: string) => void;

const setSource: Setter = (m, v) => void (m.source = v);
const setTarget: Setter = (m, v) => void (m.target = v);
const setReadOnly: Setter = (m, v, key) => void (m.readOnly = boolValue(key, v));
const setReadWrite: Setter = (m, v, key) => void (m.readOnly = !boolValue(key, v));

/** One setter per `--mount` key (aliases share one), as BuildKit's `parseMount` switch. */
const setters: Readonly<Record<string, Setter>> = {
  type: (m, v) => void (m.type = oneOf(v.toLowerCase(), mountTypes, `unsupported mount type "${v}"`, v)),
  from: (m, v) => void (m.from = v),
  source: setSource,
  src: setSource,
  target: setTarget,
  dst: setTarget,
  destination: setTarget,
  readonly: setReadOnly,
  ro: setReadOnly,
  readwrite: setReadWrite,
  rw: setReadWrite,
  required: (m, v, key) => {
    requiredAllowed(m, key);
    m.required = boolValue(key, v);
  },
  size: (m, v, key) => void (m.sizeBytes = tmpfsSize(m, key, v)),
  id: (m, v) => void (m.id = v),
  sharing: (m, v) =>
    void (m.sharing = oneOf(v.toLowerCase(), sharingModes, `unsupported sharing value "${v}"`, v)),
  mode: (m, v, key) => void (m.mode = uintValue(key, v, 8)),
  uid: (m, v, key) => void (m.uid = uintValue(key, v, 10)),
  gid: (m, v, key) => void (m.gid = uintValue(key, v, 10)),
  env: (m, v) => void (m.env = v),
};

function applyKey(m: RawMount, field: MountField, value: string): void {
  const set = setters[field.key];
  if (!set)
    throw new MountError(
      `unexpected key '${field.key}' in '${field.text}'${didYouMean(closestMatch(field.key, allKeys))}`,
    );
  set(m, value, field.key);
}

function boolValue(key: string, value: string): boolean {
  const b = parseGoBool(value);
  if (b === undefined) throw new MountError(`invalid value for ${key}: ${value}`);
  return b;
}

function uintValue(key: string, value: string, base: 8 | 10): number {
  const n = parseGoUint(value, base, 32);
  if (n === undefined) throw new MountError(`invalid value ${value} for ${key}`);
  return n;
}

function tmpfsSize(m: RawMount, key: string, value: string): number {
  if (m.type !== 'tmpfs') throw new MountError(`unexpected key '${key}' for mount type '${m.type}'`);
  const size = parseRamInBytes(value);
  if (size === undefined) throw new MountError(`invalid value for ${key}: ${value}`);
  return size;
}

function oneOf<T extends string>(value: string, allowed: readonly T[], message: string, original: string): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new MountError(`${message}${didYouMean(closestMatch(original, allowed))}`);
}

function validate(m: RawMount): void {
  if (m.type !== 'secret' && m.type !== 'ssh' && m.type !== 'cache') {
    for (const key of ['mode', 'uid', 'gid'] as const) {
      if (m[key] !== undefined) throw new MountError(`${key} not allowed for "${m.type}" type mounts`);
    }
  }
  if (m.type === 'secret') {
    if (m.from !== '') throw new MountError('secret mount should not have a from');
    if (m.sharing !== undefined) throw new MountError('secret mount should not define sharing');
    if (m.source === '' && m.target === '' && m.id === '') {
      throw new MountError('invalid secret mount. one of source, target required');
    }
    if (m.source !== '' && m.id !== '') throw new MountError("both source and id can't be set");
  }
  if (m.sharing !== undefined && m.type !== 'cache')
    throw new MountError(`invalid cache sharing set for ${m.type} mount`);
}

function typed(m: RawMount): Mount {
  const opt = (s: string): string | undefined => (s === '' ? undefined : s);
  switch (m.type) {
    case 'bind':
      return {
        type: 'bind',
        target: m.target,
        source: opt(m.source),
        from: opt(m.from),
        readOnly: m.readOnly ?? true,
      };
    case 'cache':
      return {
        type: 'cache',
        target: m.target,
        id: opt(m.id),
        sharing: m.sharing ?? 'shared',
        from: opt(m.from),
        source: opt(m.source),
        readOnly: m.readOnly ?? false,
        mode: m.mode ?? 0o755,
        uid: m.uid ?? 0,
        gid: m.gid ?? 0,
      };
    case 'tmpfs':
      return { type: 'tmpfs', target: m.target, sizeBytes: m.sizeBytes, readOnly: m.readOnly ?? false };
    case 'secret':
      return secretMount(m);
    case 'ssh':
      return {
        type: 'ssh',
        id: m.id || 'default',
        target: opt(m.target),
        required: m.required,
        mode: m.mode ?? 0o600,
        uid: m.uid ?? 0,
        gid: m.gid ?? 0,
      };
  }
}

function secretMount(m: RawMount): SecretMount {
  const id = m.source || m.id || basename(m.target);
  const target = m.target || (m.env === undefined ? `/run/secrets/${basename(id)}` : undefined);
  return {
    type: 'secret',
    id,
    target,
    env: m.env,
    required: m.required,
    mode: m.mode ?? 0o400,
    uid: m.uid ?? 0,
    gid: m.gid ?? 0,
  };
}

/** Go's `path.Base`. */
function basename(p: string): string {
  if (p === '') return '.';
  const trimmed = p.replace(/\/+$/, '');
  if (trimmed === '') return '/';
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}
