/**
 * Dockerfile fuzzing for the reliability suite: a seeded mutator over BuildKit's parser corpus and the walk a
 * build does over a Dockerfile before it touches a file system (parse → typed instructions → plan → per-stage
 * ARG/ENV scoping and expansion of every instruction → RUN scripts and mounts → ONBUILD triggers).
 *
 *   const rng = seededRandom(7);
 *   const input = mutate(corpusFiles()[0]!.bytes, rng, corpus);   // one mutated Dockerfile (bytes)
 *   const outcome = walkFrontEnd(input);                         // { kind: 'ok' } | { kind: 'error', … }
 *
 * `walkFrontEnd` never throws: it classifies what it caught, so a caller can insist every failure is a
 * DockerfileError. Everything is deterministic for a seed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  BuildEnv,
  expandInstruction,
  parseDockerfile,
  parseOnbuildTrigger,
  runScript,
  type Instruction,
} from '../../src/dockerfile/index.js';
import { DockerfileError } from '../../src/errors.js';
import { planBuild } from '../../src/plan/stage-graph.js';
import { corpusDir } from './corpus.js';

export const corpusRoot = corpusDir('dockerfile-parser');

export interface CorpusFile {
  readonly name: string;
  readonly bytes: Buffer;
}

/** Every Dockerfile of the corpus (positive, negative and the line fixture), sorted by name. */
export function corpusFiles(root = corpusRoot): CorpusFile[] {
  const out: CorpusFile[] = [];
  for (const group of ['testfiles', 'testfiles-negative']) {
    for (const name of readdirSync(join(root, group)).sort())
      out.push({ name: `${group}/${name}`, bytes: readFileSync(join(root, group, name, 'Dockerfile')) });
  }
  out.push({ name: 'testfile-line', bytes: readFileSync(join(root, 'testfile-line', 'Dockerfile')) });
  return out;
}

/** mulberry32: a small, fast, seeded PRNG in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rng = () => number;
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
const int = (rng: Rng, n: number): number => Math.floor(rng() * n);

/** Fragments the parser treats specially: continuations, heredocs, quotes, expansions, flags, odd bytes. */
const tokens: readonly string[] = [
  '\\\n',
  '\\',
  '`\n',
  '\n',
  '\r\n',
  '\r',
  ' ',
  '\t',
  '#',
  '# escape=`\n',
  '# escape=\\\n',
  '# syntax=docker/dockerfile:1\n',
  '<<EOF\n',
  '<<-EOF\n',
  '<<"EOF"\n',
  "<<'E O F'\n",
  '<<EOF <<EOT\n',
  'EOF\n',
  'EOT\n',
  '$',
  '${',
  '}',
  '${A:-',
  '${A:+x}',
  '${A:?}',
  '${A#*}',
  '${A%%x}',
  '${A/x/y}',
  '"',
  "'",
  '[',
  ']',
  '["a", "b"]',
  '[""]',
  '{',
  '=',
  ',',
  '--mount=type=secret,id=s',
  '--mount=type=cache,target=/c,sharing=locked',
  '--mount=type=bind,from=0,source=/x',
  '--mount=type=tmpfs,target=/t,size=1x',
  '--from=',
  '--chown=',
  '--chmod=',
  '--network=none',
  '--platform=$BUILDPLATFORM',
  'FROM scratch\n',
  'FROM scratch AS s\n',
  'FROM s\n',
  'ONBUILD ',
  'ONBUILD ONBUILD RUN x\n',
  'HEALTHCHECK --interval=1x CMD a\n',
  'EXPOSE 80-70/tcp\n',
  'STOPSIGNAL SIGNOPE\n',
  'ARG A=${A:-$A}\n',
  'ENV A=$A$A$A$A\n',
  '\0',
  '\u00e9',
  '\ufeff',
  '\u2028',
];

const invalidUtf8 = [
  Buffer.from([0xff]),
  Buffer.from([0xc3]),
  Buffer.from([0xe2, 0x82]),
  Buffer.from([0xf0]),
];

export type MutationKind =
  | 'bit-flip'
  | 'byte-set'
  | 'insert-token'
  | 'delete-range'
  | 'duplicate-line'
  | 'delete-line'
  | 'swap-lines'
  | 'splice-line'
  | 'truncate'
  | 'huge-line'
  | 'deep-nesting'
  | 'many-lines'
  | 'heredoc-trick'
  | 'continuation-trick'
  | 'invalid-utf8';

export const mutationKinds: readonly MutationKind[] = [
  'bit-flip',
  'byte-set',
  'insert-token',
  'delete-range',
  'duplicate-line',
  'delete-line',
  'swap-lines',
  'splice-line',
  'truncate',
  'huge-line',
  'deep-nesting',
  'many-lines',
  'heredoc-trick',
  'continuation-trick',
  'invalid-utf8',
];

/** 1–4 stacked mutations of `input`; `others` supplies lines to splice in. Output stays under ~2 MB. */
export function mutate(input: Buffer, rng: Rng, others: readonly CorpusFile[]): Buffer {
  let out = input;
  const rounds = 1 + int(rng, 4);
  for (let i = 0; i < rounds; i++) out = applyMutation(pick(rng, mutationKinds), out, rng, others);
  return out.length > 2_000_000 ? out.subarray(0, 2_000_000) : out;
}

export function applyMutation(
  kind: MutationKind,
  input: Buffer,
  rng: Rng,
  others: readonly CorpusFile[],
): Buffer {
  const at = int(rng, input.length + 1);
  const insert = (b: Buffer | string): Buffer =>
    Buffer.concat([input.subarray(0, at), Buffer.from(b), input.subarray(at)]);
  switch (kind) {
    case 'bit-flip': {
      const b = Buffer.from(input);
      for (let n = 1 + int(rng, 8); n > 0 && b.length > 0; n--) b[int(rng, b.length)]! ^= 1 << int(rng, 8);
      return b;
    }
    case 'byte-set': {
      const b = Buffer.from(input);
      if (b.length > 0)
        b[int(rng, b.length)] = pick(rng, [0, 0x0a, 0x0d, 0x5c, 0x60, 0x22, 0x27, 0x24, 0x7b, 0x3c]);
      return b;
    }
    case 'insert-token':
      return insert(pick(rng, tokens));
    case 'delete-range':
      return Buffer.concat([input.subarray(0, at), input.subarray(at + 1 + int(rng, 40))]);
    case 'truncate':
      return input.subarray(0, at);
    case 'invalid-utf8':
      return insert(pick(rng, invalidUtf8));
    case 'huge-line':
      return insert(
        `RUN ${pick(rng, ['a', '\\ ', '$A', '"', 'x\\\n'])}`.repeat(1000 + int(rng, 20_000)) + '\n',
      );
    case 'deep-nesting':
      return insert(deepNesting(rng));
    case 'many-lines':
      return insert(
        `${pick(rng, ['ENV A=1', 'ARG B', 'LABEL a=b', 'FROM scratch', '#c', '', 'RUN \\'])}\n`.repeat(
          500 + int(rng, 4000),
        ),
      );
    case 'heredoc-trick':
      return insert(pick(rng, heredocTricks));
    case 'continuation-trick':
      return insert(pick(rng, continuationTricks));
    default:
      return mutateLines(kind, input, rng, others);
  }
}

function mutateLines(
  kind: 'duplicate-line' | 'delete-line' | 'swap-lines' | 'splice-line',
  input: Buffer,
  rng: Rng,
  others: readonly CorpusFile[],
): Buffer {
  const lines = input.toString('latin1').split('\n');
  const i = int(rng, lines.length);
  switch (kind) {
    case 'duplicate-line':
      lines.splice(i, 0, ...Array<string>(1 + int(rng, 3)).fill(lines[i]!));
      break;
    case 'delete-line':
      lines.splice(i, 1 + int(rng, 3));
      break;
    case 'swap-lines': {
      const j = int(rng, lines.length);
      [lines[i], lines[j]] = [lines[j]!, lines[i]!];
      break;
    }
    case 'splice-line': {
      const donor = others.length > 0 ? pick(rng, others).bytes.toString('latin1').split('\n') : [''];
      lines.splice(i, 0, pick(rng, donor));
      break;
    }
  }
  return Buffer.from(lines.join('\n'), 'latin1');
}

function deepNesting(rng: Rng): string {
  const depth = 100 + int(rng, 2000);
  switch (int(rng, 5)) {
    case 0:
      return `ENV X=${'${A:-'.repeat(depth)}x${'}'.repeat(depth)}\n`;
    case 1:
      return `RUN ${'['.repeat(depth)}${']'.repeat(depth)}\n`;
    case 2:
      return `${'ONBUILD '.repeat(Math.min(depth, 50))}RUN x\n`;
    case 3:
      return `COPY ${'"'.repeat(depth)} /\n`;
    default:
      return `ARG A=${'$A'.repeat(depth)}\nENV B=${'${A}'.repeat(depth)}\n`;
  }
}

const heredocTricks: readonly string[] = [
  'RUN <<EOF\nno end',
  'RUN <<EOF <<EOF\na\nEOF\nb\nEOF\n',
  'COPY <<A <<B /\n1\nA\n2\nB\n',
  'RUN <<-"EOF"\n\t\tx\n\tEOF\n',
  'RUN <<EOF\\\nEOF\n',
  'RUN <<""\n\n',
  'RUN <<EOF cat\n#!/bin/sh\nEOF\n',
  'COPY <<EOF ${X:-/}\n$X\nEOF\n',
  'RUN 3<<EOF\nx\nEOF\n',
  'RUN <<\n',
  'RUN <<EOF\r\nx\r\nEOF\r\n',
];

const continuationTricks: readonly string[] = [
  'RUN a \\\n\\\n\\\n',
  'RUN a \\\n# comment\n  b\n',
  'RUN a \\  \n',
  'RUN a \\\n\n\n',
  '\\\n\\\n\\',
  'FROM scratch \\\nAS \\\nname\n',
  'ENV A=1 \\\n B=2 \\\n',
  'RUN \\\nEOF\n',
];

export type FrontEndOutcome =
  | { readonly kind: 'ok'; readonly stages: number }
  | { readonly kind: 'dockerfile-error'; readonly message: string }
  | { readonly kind: 'crash'; readonly name: string; readonly message: string; readonly stack: string };

/** Everything a build does with a Dockerfile before executing a step; classifies any throw. */
export function walkFrontEnd(bytes: Uint8Array): FrontEndOutcome {
  try {
    const dockerfile = parseDockerfile(bytes, { file: 'Dockerfile' });
    const platform = { os: 'linux', architecture: 'amd64' };
    const plan = planBuild(dockerfile, {
      buildArgs: { A: 'build-arg', HTTP_PROXY: 'http://proxy' },
      targetPlatform: platform,
      buildPlatform: platform,
    });
    const escapeToken = dockerfile.escapeToken;
    for (const index of plan.order) {
      let env = BuildEnv.forStage(plan.globals, ['PATH=/usr/bin:/bin']);
      for (const ins of plan.stages[index]!.stage.instructions)
        env = walkInstruction(ins, env, escapeToken, 0);
      env.runEnv();
      env.imageEnv();
    }
    return { kind: 'ok', stages: plan.stages.length };
  } catch (err) {
    if (err instanceof DockerfileError) {
      const message = err.userMessage();
      if (message.includes('\n') || /^\s+at /m.test(message))
        return { kind: 'crash', name: 'multi-line message', message, stack: '' };
      return { kind: 'dockerfile-error', message };
    }
    const e = err instanceof Error ? err : new Error(String(err));
    return { kind: 'crash', name: e.constructor.name, message: e.message, stack: e.stack ?? '' };
  }
}

function walkInstruction(ins: Instruction, env: BuildEnv, escapeToken: string, depth: number): BuildEnv {
  if (ins.kind === 'arg') return env.declareArgs(ins);
  const { instruction } = expandInstruction(ins, env, { escapeToken });
  switch (instruction.kind) {
    case 'env':
      return env.applyEnv(instruction.variables);
    case 'run':
      runScript(instruction);
      return env;
    case 'onbuild':
      if (depth < 2)
        walkInstruction(
          parseOnbuildTrigger(instruction.expression, instruction.location),
          env,
          escapeToken,
          depth + 1,
        );
      return env;
    default:
      return env;
  }
}
