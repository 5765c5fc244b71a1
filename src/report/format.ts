/** Small text formatters shared by the summary and the PR comment (Docker's decimal units). */

const units = ['B', 'kB', 'MB', 'GB', 'TB'] as const;

/** `0 B`, `512 B`, `1.5 kB`, `23.4 MB`: decimal units as `docker images` shows them, three significant digits. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  if (unit === 0) return `${value} B`;
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${trimZeros(value.toFixed(digits))} ${units[unit]}`;
}

/** `0.0 s`, `1.4 s`, `59.9 s`, `1 min 5 s`, `1 h 2 min`. */
export function formatDuration(ms: number): string {
  const seconds = ms / 1000;
  if (seconds < 60) return `${(Math.floor(seconds * 10) / 10).toFixed(1)} s`;
  const whole = Math.floor(seconds);
  if (whole < 3600) return `${Math.floor(whole / 60)} min ${whole % 60} s`;
  return `${Math.floor(whole / 3600)} h ${Math.floor((whole % 3600) / 60)} min`;
}

/** `80 %` for 4 of 5; `–` when nothing could have been cached. */
export function formatRate(part: number, whole: number): string {
  if (whole === 0) return '–';
  return `${Math.round((part / whole) * 100)} %`;
}

/** `sha256:0123456789ab`: a digest short enough for a table cell. */
export function shortDigest(digest: string): string {
  const [algorithm, hex = ''] = digest.split(':', 2);
  return `${algorithm}:${hex.slice(0, 12)}`;
}

/** Text for a markdown table cell: one line, pipes escaped (also inside code), long text cut with an ellipsis. */
export function tableCell(text: string, max = 80): string {
  const line = text.replace(/\s+/g, ' ').trim();
  const cut = line.length > max ? `${line.slice(0, max - 1)}…` : line;
  return cut.replace(/\|/g, '\\|');
}

/** Inline code that survives backticks in the text (GitHub markdown: a longer fence). */
export function inlineCode(text: string): string {
  const runs = text.match(/`+/g) ?? [];
  const fence = '`'.repeat(Math.max(0, ...runs.map((r) => r.length)) + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}
