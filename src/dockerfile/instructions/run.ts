/** RUN: `--mount` (repeatable), `--network`, `--security`, `--device` (repeatable); shell or exec form. */
import { CsvError, csvFields } from '../csv-value.js';
import { closestMatch, didYouMean } from '../suggest.js';
import { parseFlags } from './flags.js';
import { parseGoBool } from './go-numbers.js';
import { MountError, parseMountFlag, type MountFlag } from './mount.js';
import { baseOf, instructionError, type InstructionRequest } from './request.js';
import type { CommandLine, DeviceRequest, NetworkMode, RunInstruction, SecurityMode } from './types.js';

const networkModes: readonly NetworkMode[] = ['default', 'none', 'host'];
const securityModes: readonly SecurityMode[] = ['sandbox', 'insecure'];

export function parseRun(req: InstructionRequest): RunInstruction {
  const flags = parseFlags(req, {
    mount: 'strings',
    network: 'string',
    security: 'string',
    device: 'strings',
  });
  const network = flags.string('network') ?? 'default';
  if (!(networkModes as readonly string[]).includes(network)) {
    throw instructionError(
      req,
      `invalid network mode "${network}" for RUN`,
      'use --network=default, none or host',
    );
  }
  const security = flags.string('security') ?? 'sandbox';
  if (!(securityModes as readonly string[]).includes(security)) {
    throw instructionError(
      req,
      `security "${security}" is not valid for RUN`,
      'use --security=sandbox or insecure',
    );
  }
  return {
    kind: 'run',
    ...baseOf(req),
    command: commandLineOf(req.node.args, req.node.json),
    mounts: flags.strings('mount').map((raw) => mountFlagAt(req, raw)),
    network: network as NetworkMode,
    security: security as SecurityMode,
    devices: flags.strings('device').map((raw) => deviceAt(req, raw)),
    heredocs: req.node.heredocs.map((h) => ({
      name: h.name,
      content: h.content,
      chomp: h.chomp,
      expand: h.expand,
    })),
  };
}

/** BuildKit `handleJSONArgs`: exec form keeps the array, shell form is the words joined by one space. */
export function commandLineOf(args: readonly string[], json: boolean): CommandLine {
  return json ? { form: 'exec', args: [...args] } : { form: 'shell', command: args.join(' ') };
}

function mountFlagAt(req: InstructionRequest, raw: string): MountFlag {
  try {
    return parseMountFlag(raw);
  } catch (err) {
    if (err instanceof MountError) throw instructionError(req, `--mount=${raw}: ${err.message}`);
    throw err;
  }
}

/** `--device=name[,required[=bool]]` (BuildKit `ParseDevice`). */
function deviceAt(req: InstructionRequest, raw: string): DeviceRequest {
  const bad = (message: string) => instructionError(req, `--device=${raw}: ${message}`);
  let fields: string[];
  try {
    fields = csvFields(raw);
  } catch (err) {
    throw bad(`failed to parse csv devices: ${err instanceof CsvError ? err.message : String(err)}`);
  }
  let name = '';
  let required = false;
  for (const field of fields) {
    const eq = field.indexOf('=');
    const key = (eq < 0 ? field : field.slice(0, eq)).toLowerCase();
    const value = field.slice(eq + 1);
    if (eq < 0 && key === 'required') required = true;
    else if (eq >= 0 && key === 'name') {
      if (name !== '') throw bad(`device name already set to ${name}`);
      name = value;
    } else if (eq >= 0 && key === 'required') {
      const b = parseGoBool(value);
      if (b === undefined) throw bad(`invalid value for ${key}: ${value}`);
      required = b;
    } else if (name === '') name = field;
    else if (eq < 0) throw bad(`invalid field '${field}' must be a key=value pair`);
    else
      throw bad(
        `unexpected key '${key}' in '${field}'${didYouMean(closestMatch(key, ['name', 'required']))}`,
      );
  }
  return { name, required };
}
