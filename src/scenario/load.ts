/**
 * Read a scenario file (YAML or JSON), validate it, and report every problem with the file, the line, the
 * path of the field (`systems[0].n`), what was expected and what was found.
 */
import { channelKindOf, channelTypesWhere } from '../channels/registry.ts';
import { isObj } from '../data/is-object.ts';
import { requireNodeBuiltin } from '../platform.ts';
import { isMap, isNode, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { UserError } from '../errors.ts';
import { scenarioMsg as M } from '../messages.ts';
import { CLI_LIMITS, LIMITS } from '../defaults.ts';
import type { SystemCheckContext } from '../systems/kind.ts';
import { isSystemType, systemKind, systemKinds } from '../systems/registry.ts';
import { compileScenario, expandRange, type CompiledScenario } from './compile.ts';
import { scenarioSchema, type ScenarioInput } from './schema.ts';
import { multipathChecks } from './multipath-checks.ts';
import { resourceChecks } from './resource-checks.ts';
import { repeatedLabels } from './labels.ts';
import { claimChecks } from './claim-checks.ts';

/**
 * One problem of a scenario file: the field's path, what was expected and what was found, and where it is in the file
 * when known.
 */
export interface ScenarioProblem {
  /** Field path, e.g. ['systems', 0, 'n']. */
  path: (string | number)[];
  expected: string;
  found: string;
  /** 1-based line and column of the field in the file, when known. */
  line?: number;
  col?: number;
  /** The problem is the key itself (an unknown key): it is located at the key, not at its value. */
  atKey?: boolean;
}

/**
 * The error of a scenario file that cannot be used: every problem found, each on a line as `file:line:col: path:
 * expected …, found …` (or one plain message for an unreadable file or a syntax error). A UserError: the command
 * line prints the message without a stack trace and exits 1.
 */
export class ScenarioError extends UserError {
  constructor(
    readonly file: string,
    readonly problems: ScenarioProblem[],
    /** For unreadable files and syntax errors: the whole message. */
    plain?: string,
  ) {
    super(plain ?? [M.header(file, problems.length), ...problems.map((p) => '  ' + formatProblem(file, p))].join('\n'));
    this.name = 'ScenarioError';
  }
}

/** `systems[0].encoder[1].units`; the root is "(top level)". */
export function formatPath(path: readonly PropertyKey[]): string {
  let s = '';
  for (const p of path) {
    if (typeof p === 'number') s += `[${p}]`;
    else if (typeof p === 'string' && /^[A-Za-z_$][\w$]*$/.test(p)) s += (s ? '.' : '') + p;
    else s += `[${JSON.stringify(String(p))}]`;
  }
  return s || M.topLevel;
}

/**
 * One problem as the loader prints it: `file:line:col: path: expected …, found …` (just `file:` when the line is not
 * known).
 */
export function formatProblem(file: string, p: ScenarioProblem): string {
  const where = p.line ? `${file}:${p.line}:${p.col ?? 1}` : file;
  return M.problem(where, formatPath(p.path), p.expected, p.found);
}

/** A short description of a found value: `0.5`, `"qam8"`, `a list of 3 items`, `nothing (the field is missing)`. */
export function describeValue(v: unknown): string {
  if (v === undefined) return M.missing;
  if (v === null) return 'null (an empty value)';
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? v.slice(0, 57) + '...' : v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `a list of ${v.length} item${v.length === 1 ? '' : 's'}`;
  if (typeof v === 'object') {
    const keys = Object.keys(v as object);
    return keys.length ? `a mapping with keys ${keys.slice(0, 6).join(', ')}${keys.length > 6 ? ', ...' : ''}` : 'an empty mapping';
  }
  return typeof v;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = root;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[p as string];
  }
  return v;
}

const TYPE_NAMES: Record<string, string> = {
  number: 'a number',
  int: 'an integer',
  string: 'a string',
  boolean: 'true or false',
  object: 'a mapping',
  array: 'a list',
  tuple: 'a list',
};

function bound(kind: 'at least' | 'at most', inclusive: boolean | undefined, limit: unknown, origin: unknown): string {
  const n = typeof limit === 'bigint' ? limit.toString() : String(limit);
  if (origin === 'array') return `a list with ${kind} ${n} item${n === '1' ? '' : 's'}`;
  if (origin === 'string') return `a text of ${kind} ${n} characters`;
  const op = kind === 'at least' ? (inclusive === false ? '>' : '≥') : inclusive === false ? '<' : '≤';
  return `a number ${op} ${n}`;
}

/** Turns one zod issue into expected/found texts (found is read from the data at the issue's path). */
function fromIssue(issue: z.core.$ZodIssue, data: unknown): ScenarioProblem[] {
  const path = issue.path as (string | number)[];
  const found = describeValue(valueAt(data, path));
  const custom = issue.message.startsWith('expected ') ? issue.message.slice('expected '.length) : undefined;
  switch (issue.code) {
    case 'invalid_type':
      return [{ path, expected: custom ?? TYPE_NAMES[issue.expected] ?? issue.expected, found }];
    case 'unrecognized_keys': {
      const allowed = allowedKeysAt(path, data);
      return issue.keys.map((key) => ({ path: [...path, key], expected: M.noUnknownKeys(allowed), found: M.unknownKeys([key]), atKey: true }));
    }
    case 'invalid_value':
      return [
        {
          path,
          expected: custom ?? (issue.values.length === 1 ? JSON.stringify(issue.values[0]) : `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`),
          found,
        },
      ];
    case 'invalid_union': {
      if ('discriminator' in issue && issue.discriminator) {
        const options = ((issue as unknown as { options?: unknown[] }).options ?? []).map((o) => JSON.stringify(o));
        return [{ path, expected: custom ?? `one of ${options.join(', ')}`, found }];
      }
      // A plain union: if every branch failed only because of the value's type, give the union's expectation;
      // otherwise the branch whose type matched has the precise problems.
      // A literal ("auto") that differs is a value of another kind too, not the one branch that matched.
      const kindOnly = (i: z.core.$ZodIssue) => i.path.length === 0 && (i.code === 'invalid_type' || (i.code === 'invalid_value' && i.values.length === 1));
      const matching = issue.errors.filter((branch) => !branch.every(kindOnly));
      if (matching.length === 1) return matching[0].flatMap((i) => fromIssue({ ...i, path: [...path, ...i.path] } as z.core.$ZodIssue, data));
      // Otherwise what each branch expects, joined: "an integer or a string".
      const each = issue.errors.flatMap((branch) =>
        branch.filter((i) => i.path.length === 0).flatMap((i) => fromIssue({ ...i, path } as z.core.$ZodIssue, data)),
      );
      const words = [...new Set(each.map((q) => q.expected))];
      return [{ path, expected: custom ?? (words.length ? words.join(' or ') : 'a value of another kind'), found }];
    }
    case 'too_small':
      return [
        {
          path,
          expected:
            custom ??
            (issue.origin === 'number' && issue.minimum === 1 && Number.isInteger(valueAt(data, path))
              ? 'an integer ≥ 1'
              : bound('at least', issue.inclusive, issue.minimum, issue.origin)),
          found,
        },
      ];
    case 'too_big':
      return [{ path, expected: custom ?? bound('at most', issue.inclusive, issue.maximum, issue.origin), found }];
    case 'invalid_format':
      return [{ path, expected: custom ?? `a ${issue.format}`, found }];
    case 'not_multiple_of':
      return [{ path, expected: custom ?? `a multiple of ${String(issue.divisor)}`, found }];
    default:
      return [{ path, expected: custom ?? issue.message, found }];
  }
}

type AnySchema = z.core.$ZodType;

/** The keys the schema allows at `path` (following discriminated unions by the data's `type`). */
function allowedKeysAt(path: readonly PropertyKey[], data: unknown): string[] {
  let schema: AnySchema | undefined = scenarioSchema as unknown as AnySchema;
  let value: unknown = data;
  const unwrap = (s: AnySchema | undefined, v: unknown): AnySchema | undefined => {
    for (let guard = 0; s && guard < 10; guard++) {
      const def = s._zod.def as unknown as Record<string, unknown> & { type: string };
      if (def.type === 'optional' || def.type === 'default' || def.type === 'nullable') s = def.innerType as AnySchema;
      else if (def.type === 'lazy') s = (def.getter as () => AnySchema)();
      else if (def.type === 'union') {
        const options = def.options as AnySchema[];
        const tag = v && typeof v === 'object' ? (v as Record<string, unknown>).type : undefined;
        s =
          options.find((o) => {
            const shape = (o._zod.def as unknown as { shape?: Record<string, AnySchema> }).shape;
            const lit = shape?.type?._zod.def as unknown as { values?: unknown[] } | undefined;
            return lit?.values?.includes(tag);
          }) ?? options.find((o) => (o._zod.def as { type: string }).type === 'object');
      } else return s;
    }
    return s;
  };
  for (const key of path) {
    schema = unwrap(schema, value);
    if (!schema) return [];
    const def = schema._zod.def as unknown as Record<string, unknown> & { type: string };
    if (def.type === 'object') schema = (def.shape as Record<string, AnySchema>)[key as string];
    else if (def.type === 'array') schema = def.element as AnySchema;
    else if (def.type === 'tuple') schema = (def.items as AnySchema[])[key as number];
    else return [];
    value = value && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  }
  schema = unwrap(schema, value);
  const def = schema?._zod.def as unknown as { type: string; shape?: Record<string, unknown> } | undefined;
  return def?.type === 'object' && def.shape ? Object.keys(def.shape).filter((k) => k !== '$schema') : [];
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * Checks that involve several fields. They read the raw data and check every part that is structurally
 * usable (the numbers they compare are numbers, the ids they match are strings), whether or not other parts
 * pass the schema: a user fixing a file should see every problem in one run, not a second batch after the
 * schema errors are gone. A part that is not usable is skipped (the schema reports it).
 */
export function crossChecks(data: unknown): ScenarioProblem[] {
  const out: ScenarioProblem[] = [];
  if (!isObj(data)) return out;
  const p = (path: (string | number)[], expected: string, value: unknown, found?: string) => out.push({ path, expected, found: found ?? describeValue(value) });

  // Sweep.
  const sweep = isObj(data.sweep) ? data.sweep.ebnoDb : undefined;
  // A list is measured in increasing order (compile sorts it); a value twice would be measured twice.
  if (Array.isArray(sweep))
    sweep.forEach((v, j) => {
      const first = sweep.indexOf(v);
      if (isNum(v) && first < j) p(['sweep', 'ebnoDb', j], M.distinctEbno(first), v);
    });
  if (isObj(sweep)) {
    const { from, to, step } = sweep;
    if (isNum(step) && !(step > 0)) p(['sweep', 'ebnoDb', 'step'], M.stepPositive, step);
    if (isNum(from) && isNum(to) && to < from) p(['sweep', 'ebnoDb', 'to'], M.fromTo(from), to);
    else if (isNum(from) && isNum(to) && isNum(step) && step > 0) {
      const count = Math.floor((to - from) / step + 1e-9) + 1;
      if (count > LIMITS.maxSweepPoints) p(['sweep', 'ebnoDb'], M.tooManyPoints(count, LIMITS.maxSweepPoints), sweep, `a range of ${count} points`);
      else void expandRange({ from, to, step });
    }
  }

  // Ids: systems and the `<id>-ml` curves they add.
  const systems = Array.isArray(data.systems) ? data.systems : [];
  const owner = new Map<string, string>(); // curve id → path that defined it
  /** Ids a system may define although we cannot tell (its id, type or k is unreadable): never "unknown". */
  let idsUncertain = !Array.isArray(data.systems);
  const maybe = new Set<string>();
  systems.forEach((sys, i) => {
    if (!isObj(sys) || typeof sys.id !== 'string') return void (idsUncertain = true);
    const prev = owner.get(sys.id);
    if (prev) p(['systems', i, 'id'], M.uniqueId, sys.id, M.duplicateId(sys.id, prev));
    else owner.set(sys.id, formatPath(['systems', i, 'id']));
  });
  const scenarioChannel = data.channel;
  /** What a kind's checks get to know about systems[i] (src/systems/kind.ts). */
  const context = (sys: Record<string, unknown>, index: number): SystemCheckContext => {
    const own = isObj(sys.channel);
    return {
      index,
      systems,
      channel: own ? (sys.channel as Record<string, unknown>) : isObj(scenarioChannel) ? scenarioChannel : undefined,
      channelAt: own ? ['systems', index, 'channel'] : ['channel'],
      ownChannel: own,
      scenarioChannel,
      where: formatPath,
    };
  };
  // The curve ids each kind adds (`<id>-searched`, `<id>-ml`, `<id>-u1`, …), kind by kind in the registry's order.
  systems.forEach((sys) => {
    // An entry of unknown type may add an `<id>-ml` curve as far as we can tell.
    if (isObj(sys) && typeof sys.id === 'string' && !isSystemType(sys.type)) maybe.add(`${sys.id}-ml`);
  });
  for (const kind of systemKinds())
    systems.forEach((sys, i) => {
      if (!isObj(sys) || typeof sys.id !== 'string' || sys.type !== kind.type) return;
      kind.claimCurveIds?.(sys, context(sys, i), { owner, maybe }, p);
    });

  // Each kind's own checks: sizes, options that do not apply, the channel it needs.
  systems.forEach((sys, i) => {
    if (isObj(sys) && isSystemType(sys.type)) systemKind(sys.type).check?.(sys, context(sys, i), p);
  });

  // The channel kinds' checks against the systems they carry (multipath-checks.ts).
  multipathChecks(data, p);

  // Importance sampling: AWGN only, never a silent fallback to plain Monte Carlo.
  const scenarioMethod = isObj(data.montecarlo) ? data.montecarlo.method : undefined;
  const scenarioChannelType = isObj(data.channel) ? data.channel.type : undefined;
  systems.forEach((sys, i) => {
    if (!isObj(sys)) return;
    const own = isObj(sys.montecarlo) ? sys.montecarlo.method : undefined;
    if ((own ?? scenarioMethod) !== 'importance') return;
    if (isSystemType(sys.type) && !systemKind(sys.type).importanceSampling) {
      const path = own !== undefined ? ['systems', i, 'montecarlo', 'method'] : ['montecarlo', 'method'];
      p(path, M.importanceNotTwoUser, 'importance', `method: importance for ${sys.type} system ${String(sys.id)}`);
      return;
    }
    const channel = isObj(sys.channel) ? sys.channel.type : scenarioChannelType;
    // Importance sampling shifts the noise: only a channel of noise alone (its kind says so).
    if (channel === undefined || typeof channel !== 'string' || channelKindOf(channel)?.noiseOnly) return;
    const channelPath = formatPath(isObj(sys.channel) ? ['systems', i, 'channel'] : ['channel']);
    const path = own !== undefined ? ['systems', i, 'montecarlo', 'method'] : ['montecarlo', 'method'];
    p(
      path,
      M.importanceAwgnOnly(
        channelPath,
        channelTypesWhere((k) => k.noiseOnly),
      ),
      'importance',
      `method: importance for system ${String(sys.id)} on a ${channel} channel`,
    );
  });

  // compare pairs name known curves.
  const known = [...owner.keys()];
  const unknownId = (id: unknown): boolean => typeof id === 'string' && !owner.has(id) && !idsUncertain && !maybe.has(id);
  (Array.isArray(data.compare) ? data.compare : []).forEach((pair, i) => {
    if (!Array.isArray(pair) || pair.length !== 2) return;
    const [a, b] = pair as unknown[];
    if (unknownId(a)) p(['compare', i, 0], M.compareKnown(known), a);
    if (unknownId(b)) p(['compare', i, 1], M.compareKnown(known), b);
    if (typeof a === 'string' && a === b) p(['compare', i], M.compareDistinct, [a, b], `[${a}, ${b}]`);
  });
  return out;
}

/** Validates already-parsed data; returns the input or the problems (without line numbers). */
export function validateScenario(data: unknown): { ok: true; scenario: ScenarioInput } | { ok: false; problems: ScenarioProblem[] } {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return { ok: false, problems: [{ path: [], expected: M.notAnObject, found: describeValue(data) }] };
  }
  const r = scenarioSchema.safeParse(data);
  const problems = r.success ? [] : r.error.issues.flatMap((i) => fromIssue(i, data));
  // Both kinds in one pass; where the schema already says a field is wrong, its word is enough.
  const reported = new Set(problems.map((q) => formatPath(q.path)));
  problems.push(...crossChecks(data).filter((q) => !reported.has(formatPath(q.path))));
  if (!r.success || problems.length) return { ok: false, problems };
  return { ok: true, scenario: r.data };
}

/** Sets the line and column of a problem: its key (unknown keys) or the deepest node of its path in the document. */
function locate(prob: ScenarioProblem, doc: Document.Parsed, lc: LineCounter): void {
  const at = (range: [number, number, number] | readonly number[] | null | undefined): boolean => {
    if (!range) return false;
    const pos = lc.linePos(range[0]);
    prob.line = pos.line;
    prob.col = pos.col;
    return true;
  };
  if (prob.atKey && prob.path.length) {
    const parentPath = prob.path.slice(0, -1);
    const parent = parentPath.length ? doc.getIn(parentPath, true) : doc.contents;
    const key = String(prob.path[prob.path.length - 1]);
    // JSON files parse through the same YAML document (JSON is YAML flow syntax), so this serves both.
    const pair = isMap(parent) ? parent.items.find((it) => isScalar(it.key) && String(it.key.value) === key) : undefined;
    if (pair && isNode(pair.key) && at(pair.key.range)) return;
  }
  for (let depth = prob.path.length; depth >= 0; depth--) {
    const node = depth === 0 ? doc.contents : doc.getIn(prob.path.slice(0, depth), true);
    if (isNode(node) && at(node.range)) return;
  }
}

/** What the loader reports without refusing the file (an unsorted Eb/N0 list, which it sorts). */
export type ScenarioWarn = (line: string) => void;

/** Parses and validates scenario text; `file` is only used in messages. Throws ScenarioError. */
export function parseScenario(text: string, file: string, warn: ScenarioWarn = () => {}): CompiledScenario {
  // UTF-8 bytes, counted as Buffer.byteLength does, without Node (the playground parses scenarios in a browser).
  const bytes = new TextEncoder().encode(text).length;
  if (bytes > CLI_LIMITS.maxScenarioBytes) throw new ScenarioError(file, [], M.tooLarge(file, bytes, CLI_LIMITS.maxScenarioBytes));
  const lc = new LineCounter();
  const json = /\.json$/i.test(file);
  let data: unknown;
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: true, uniqueKeys: true });
  if (json) {
    try {
      data = JSON.parse(text);
    } catch (e) {
      throw new ScenarioError(file, [], M.syntax(file, 'JSON', (e as Error).message));
    }
  } else {
    if (doc.errors.length) {
      const err = doc.errors[0];
      const pos = err.linePos?.[0];
      const where = pos ? `${file}:${pos.line}:${pos.col}` : file;
      // yaml's first line ends in " at line L, column C:" (before its excerpt); the location is already in front.
      const reason = err.message
        .split('\n')[0]
        .replace(/ at line \d+, column \d+:?\s*$/, '')
        .replace(/:\s*$/, '');
      throw new ScenarioError(file, [], M.syntax(where, 'YAML', reason));
    }
    try {
      data = doc.toJS({ maxAliasCount: CLI_LIMITS.maxYamlAliases });
    } catch (e) {
      // yaml throws a ReferenceError when aliases expand past the limit (an "alias bomb").
      if (e instanceof ReferenceError && /alias/i.test(e.message)) throw new ScenarioError(file, [], M.tooManyAliases(file, CLI_LIMITS.maxYamlAliases));
      throw e;
    }
  }
  const r = validateScenario(data);
  if (!r.ok) {
    if (!doc.errors.length) for (const prob of r.problems) locate(prob, doc, lc);
    r.problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.col ?? 0) - (b.col ?? 0));
    throw new ScenarioError(file, r.problems);
  }
  const compiled = compileScenario(r.scenario);
  const limits: ScenarioProblem[] = [...resourceChecks(compiled), ...claimChecks(compiled)];
  if (limits.length) {
    for (const prob of limits) locate(prob, doc, lc);
    throw new ScenarioError(file, limits);
  }
  const list = r.scenario.sweep.ebnoDb;
  if (Array.isArray(list) && list.some((v, j) => j > 0 && v < list[j - 1])) warn(M.ebnoSorted(file, compiled.sweep.ebnoDb));
  for (const label of repeatedLabels(r.scenario.systems)) warn(M.labelRepeated(file, label));
  return compiled;
}

/** Reads, validates and compiles a scenario file. Throws ScenarioError. */
export async function loadScenario(file: string, warn?: ScenarioWarn): Promise<CompiledScenario> {
  // Files are Node's (platform.ts); a browser parses text it has (parseScenario).
  const { readFile, stat } = requireNodeBuiltin('node:fs/promises', 'reading a scenario file');
  let text: string;
  try {
    // Checked before reading: a huge file would otherwise be read and parsed whole (and could exhaust memory).
    const { size } = await stat(file);
    if (size > CLI_LIMITS.maxScenarioBytes) throw new ScenarioError(file, [], M.tooLarge(file, size, CLI_LIMITS.maxScenarioBytes));
    text = await readFile(file, 'utf8');
  } catch (e) {
    if (e instanceof ScenarioError) throw e;
    throw new ScenarioError(file, [], M.unreadable(file, (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message));
  }
  return parseScenario(text, file, warn);
}
