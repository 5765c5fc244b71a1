/**
 * A JSON writer that produces the bytes Go's encoding/json produces for the image-spec structs (field order,
 * `omitempty`, map key sorting, HTML-safe string escaping, MarshalIndent layout). Used by manifest-codec.ts; the
 * shapes below are the Go struct layouts BuildKit serialises.
 */

/** How an object is laid out: Go struct fields in declaration order, or a Go map (keys sorted). */
export type JsonShape =
  | { readonly kind: 'struct'; readonly fields: readonly JsonField[]; readonly sortFields?: boolean }
  | { readonly kind: 'map'; readonly values: JsonShape }
  | { readonly kind: 'array'; readonly items: JsonShape }
  | { readonly kind: 'any' };

export interface JsonField {
  readonly name: string;
  readonly shape: JsonShape;
  /** Go's `omitempty`: leave out undefined, null, false, 0, "" and empty arrays/objects. */
  readonly omitEmpty: boolean;
}

const any: JsonShape = { kind: 'any' };
const stringMap: JsonShape = { kind: 'map', values: any };

function struct(spec: readonly (string | readonly [string, JsonShape])[], sortFields = false): JsonShape {
  const fields = spec.map((f): JsonField => {
    const [raw, shape] = typeof f === 'string' ? [f, any] : f;
    const required = raw.endsWith('!');
    return { name: required ? raw.slice(0, -1) : raw, shape, omitEmpty: !required };
  });
  return { kind: 'struct', fields, sortFields };
}

const arrayOf = (items: JsonShape): JsonShape => ({ kind: 'array', items });

// Field names ending in '!' have no `omitempty` in the Go struct.
export const platformShape = struct([
  'architecture!',
  'os!',
  'os.version',
  'os.features',
  'variant',
  'features',
]);

export const descriptorShape = struct([
  'mediaType!',
  'digest!',
  'size!',
  'urls',
  ['annotations', stringMap],
  'data',
  ['platform', platformShape],
  'artifactType',
]);

export const manifestShape = struct([
  'mediaType',
  'schemaVersion!',
  'artifactType',
  ['config!', descriptorShape],
  ['layers!', arrayOf(descriptorShape)],
  ['subject', descriptorShape],
  ['annotations', stringMap],
]);

export const indexShape = struct([
  'mediaType',
  'schemaVersion!',
  'artifactType',
  ['manifests!', arrayOf(descriptorShape)],
  ['subject', descriptorShape],
  ['annotations', stringMap],
]);

const healthShape = struct(['Test', 'Interval', 'Timeout', 'StartPeriod', 'StartInterval', 'Retries']);

export const containerConfigShape = struct([
  'User',
  ['ExposedPorts', stringMap],
  'Env',
  'Entrypoint',
  'Cmd',
  ['Volumes', stringMap],
  'WorkingDir',
  ['Labels', stringMap],
  'StopSignal',
  'ArgsEscaped',
  ['Healthcheck', healthShape],
  'OnBuild',
  'Shell',
]);

const historyShape = struct(['created', 'created_by', 'author', 'comment', 'empty_layer']);

/** BuildKit re-marshals the config through a Go map, so its top-level keys come out sorted. */
export const configShape = struct(
  [
    'architecture!',
    'author',
    ['config', containerConfigShape],
    'created',
    ['history', arrayOf(historyShape)],
    'os!',
    'os.features',
    'os.version',
    ['rootfs!', struct(['type!', 'diff_ids!'])],
    'variant',
  ],
  true,
);

/** Encodes `value` laid out by `shape`; `indent` as Go's MarshalIndent (empty = compact). */
export function encodeGoJson(value: unknown, shape: JsonShape, indent = ''): string {
  return new GoJsonWriter(indent).value(value, shape, '');
}

class GoJsonWriter {
  constructor(private readonly indent: string) {}

  value(v: unknown, shape: JsonShape, pad: string): string {
    if (v === null || v === undefined) return 'null';
    if (typeof v === 'string') return quoteGoString(v);
    if (typeof v === 'number') return Number.isFinite(v) ? JSON.stringify(v) : 'null';
    if (typeof v === 'boolean') return v ? 'true' : 'false';
    if (Array.isArray(v)) {
      const items = shape.kind === 'array' ? shape.items : any;
      return this.wrap(
        '[',
        ']',
        v.map((x) => (p: string) => this.value(x, items, p)),
        pad,
      );
    }
    if (typeof v === 'object') return this.object(v as Record<string, unknown>, shape, pad);
    throw new TypeError(`cannot encode a ${typeof v} as JSON`);
  }

  private object(obj: Record<string, unknown>, shape: JsonShape, pad: string): string {
    const members: [string, unknown, JsonShape][] = [];
    if (shape.kind === 'struct') {
      const known = new Map(shape.fields.map((f) => [f.name, f]));
      const unknown = Object.keys(obj)
        .filter((k) => !known.has(k))
        .sort(compareKeys)
        .map((name): JsonField => ({ name, shape: any, omitEmpty: false }));
      const fields = shape.sortFields
        ? [...shape.fields, ...unknown].sort((a, b) => compareKeys(a.name, b.name))
        : [...shape.fields, ...unknown];
      for (const f of fields) {
        const v = obj[f.name];
        if (v === undefined || (f.omitEmpty && isEmpty(v))) continue;
        members.push([f.name, v, f.shape]);
      }
    } else {
      const values = shape.kind === 'map' ? shape.values : any;
      for (const k of Object.keys(obj).sort(compareKeys))
        if (obj[k] !== undefined) members.push([k, obj[k], values]);
    }
    const sep = this.indent ? ': ' : ':';
    return this.wrap(
      '{',
      '}',
      members.map(
        ([k, v, s]) =>
          (p: string) =>
            `${quoteGoString(k)}${sep}${this.value(v, s, p)}`,
      ),
      pad,
    );
  }

  private wrap(open: string, close: string, parts: ((pad: string) => string)[], pad: string): string {
    if (parts.length === 0) return open + close;
    if (!this.indent) return open + parts.map((f) => f('')).join(',') + close;
    const inner = pad + this.indent;
    return `${open}\n${parts.map((f) => inner + f(inner)).join(',\n')}\n${pad}${close}`;
  }
}

function isEmpty(v: unknown): boolean {
  if (v === null || v === false || v === 0 || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  return typeof v === 'object' && Object.keys(v as object).length === 0;
}

/** Go sorts map keys by their UTF-8 bytes. */
function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Quotes a string as Go's encoding/json does (HTML-safe; invalid UTF-16 becomes U+FFFD). */
export function quoteGoString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = s.charCodeAt(i + 1);
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        out += s[i]! + s[i + 1]!;
        i++;
      } else {
        out += '\\ufffd';
      }
      continue;
    }
    out += escapeCodeUnit(c, s[i]!);
  }
  return `${out}"`;
}

const shortEscapes: Readonly<Record<number, string>> = {
  0x22: '\\"',
  0x5c: '\\\\',
  0x0a: '\\n',
  0x0d: '\\r',
  0x09: '\\t',
  0x08: '\\b',
  0x0c: '\\f',
};

function escapeCodeUnit(c: number, ch: string): string {
  const short = shortEscapes[c];
  if (short !== undefined) return short;
  if (c < 0x20 || c === 0x3c || c === 0x3e || c === 0x26 || c === 0x2028 || c === 0x2029) {
    return `\\u${c.toString(16).padStart(4, '0')}`;
  }
  return ch;
}
