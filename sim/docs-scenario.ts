/**
 * docs/reference/scenario.md, written from the scenario JSON Schema (`scenarioJsonSchema`, the schema `sim schema`
 * prints): every field with its type, default, allowed values and description. Nothing in the page is typed by
 * hand, so it cannot drift from what the loader accepts; `npm run docs` rewrites it and a test fails when the
 * committed page differs from what this function makes of the current schema.
 *
 * The schema states defaults in its descriptions ("Default block.", "(default 100, …)"), not as `default`
 * keywords: the Default column is read from there, and the description beside it stays whole.
 */

type Schema = Record<string, unknown>;

interface Row {
  field: string;
  required: boolean;
  type: string;
  default: string;
  allowed: string;
  description: string;
}

/** A discriminated union (`oneOf` of objects with a constant `type`) is documented once, in its own section. */
interface Union {
  title: string;
  anchor: string;
  variants: Schema[];
}

const obj = (x: unknown): Schema => (x !== null && typeof x === 'object' && !Array.isArray(x) ? (x as Schema) : {});
const list = (x: unknown): Schema[] => (Array.isArray(x) ? x.map(obj) : []);
const code = (s: string): string => '`' + s + '`';
const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
/** Prose in a table cell: Markdown would read `<name>` as an HTML tag and pair stray asterisks. */
const prose = (s: string): string => cell(s).replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\*/g, '\\*');

const constOf = (s: Schema): string | undefined => {
  const t = obj(obj(s.properties).type);
  return typeof t.const === 'string' ? t.const : undefined;
};

/** A `oneOf` whose every variant is an object told apart by its `type`: channels, systems. */
function unionVariants(s: Schema): Schema[] | undefined {
  const variants = list(s.oneOf);
  return variants.length > 0 && variants.every((v) => constOf(v) !== undefined) ? variants : undefined;
}

/** The default a description states: "(default X)", "(default: X, …)", or a sentence "Default X." */
export function defaultOf(description: string): string {
  const inParens = /\(default:? ((?:[^()]|\([^()]*\))*?)(?:[;,] |\))/i.exec(description);
  if (inParens) return inParens[1].trim();
  const sentence = /(?:^|[.;] )Default:? ((?:[^()]|\([^()]*\))+?)(?:\.(?:\s|$)|;|$)/.exec(description);
  return sentence ? sentence[1].trim() : '';
}

function typeOf(s: Schema): string {
  const alternatives = list(s.anyOf).length ? list(s.anyOf) : list(s.oneOf);
  if (alternatives.length) return [...new Set(alternatives.map(typeOf))].join(' or ');
  if (typeof s.const === 'string') return 'string';
  if (s.type === 'array') {
    const prefix = list(s.prefixItems);
    if (prefix.length) return `[${prefix.map(typeOf).join(', ')}]`;
    return `array of ${typeOf(obj(s.items))}`;
  }
  return typeof s.type === 'string' ? s.type : 'any';
}

function allowedOf(s: Schema): string {
  const parts: string[] = [];
  const alternatives = list(s.anyOf).length ? list(s.anyOf) : list(s.oneOf);
  for (const a of alternatives) {
    const inner = allowedOf(a);
    if (inner) parts.push(inner);
  }
  if (typeof s.const === 'string') parts.push(code(JSON.stringify(s.const)));
  if (Array.isArray(s.enum)) parts.push(s.enum.map((v) => code(String(v))).join(', '));
  // zod writes ±Number.MAX_SAFE_INTEGER as the bounds of a plain integer: no bound a reader needs to see.
  const bound = (key: string, op: string): void =>
    void (typeof s[key] === 'number' && Math.abs(s[key] as number) !== Number.MAX_SAFE_INTEGER && parts.push(`${op} ${s[key]}`));
  bound('exclusiveMinimum', '>');
  bound('minimum', '≥');
  bound('exclusiveMaximum', '<');
  bound('maximum', '≤');
  if (typeof s.pattern === 'string') parts.push(`matches ${code(s.pattern)}`);
  if (typeof s.maxLength === 'number') parts.push(`at most ${s.maxLength} characters`);
  if (typeof s.minItems === 'number') parts.push(`at least ${s.minItems} items`);
  if (typeof s.maxItems === 'number') parts.push(`at most ${s.maxItems} items`);
  if (s.type === 'array' && !list(s.prefixItems).length) {
    const items = obj(s.items);
    if (!items.properties && !unionVariants(items)) {
      const inner = allowedOf(items);
      if (inner) parts.push(`each: ${inner}`);
    }
  }
  return parts.join('; ');
}

class Writer {
  readonly unions: Union[] = [];

  /** The section documenting a union, created on first sight (the same union reached again links to it). */
  unionFor(variants: Schema[], title: string): Union {
    const key = JSON.stringify(variants);
    const seen = this.unions.find((u) => JSON.stringify(u.variants) === key);
    if (seen) return seen;
    const union = { title, anchor: title.toLowerCase().replace(/[^a-z0-9]+/g, '-'), variants };
    this.unions.push(union);
    return union;
  }

  /** Rows for the properties of an object schema, nested objects and arrays of objects flattened to dotted paths. */
  rows(s: Schema, prefix: string): Row[] {
    const out: Row[] = [];
    const required = new Set(Array.isArray(s.required) ? (s.required as string[]) : []);
    for (const [name, raw] of Object.entries(obj(s.properties))) {
      const p = obj(raw);
      const field = prefix + name;
      const description = typeof p.description === 'string' ? p.description : '';
      const variants = unionVariants(p) ?? unionVariants(obj(p.items));
      if (variants) {
        const union = this.unionFor(variants, name === 'systems' ? 'Systems' : 'Channels');
        const many = p.type === 'array';
        out.push({
          field,
          required: required.has(name),
          type: many ? `array of objects` : 'object',
          default: defaultOf(description),
          allowed: [`${code('type')}: ${variants.map((v) => code(constOf(v)!)).join(', ')}`, allowedOf({ ...p, items: {} })].filter(Boolean).join('; '),
          description: `${description} See [${union.title}](#${union.anchor}).`.trim(),
        });
        continue;
      }
      const items = obj(p.items);
      const nested = p.properties ? p : p.type === 'array' && items.properties ? items : undefined;
      out.push({
        field,
        required: required.has(name),
        type: typeOf(p),
        default: defaultOf(description),
        allowed: allowedOf(nested === items ? { ...p, items: {} } : p),
        description,
      });
      if (nested) out.push(...this.rows(nested, nested === items ? `${field}[].` : `${field}.`));
      // An alternative that is an object (a range { from, to, step }) gets its fields too.
      for (const alt of list(p.anyOf)) if (alt.properties) out.push(...this.rows(alt, `${field}.`));
    }
    return out;
  }
}

function table(rows: Row[]): string[] {
  const lines = ['| field | type | default | allowed | description |', '| --- | --- | --- | --- | --- |'];
  for (const r of rows)
    lines.push(
      `| ${code(r.field)}${r.required ? ' (required)' : ''} | ${cell(r.type)} | ${prose(r.default || '—')} | ${cell(r.allowed || '—')} | ${prose(r.description)} |`,
    );
  return lines;
}

export function renderScenarioReference(schema: Schema): string {
  const w = new Writer();
  const lines = [
    '# Scenario reference',
    '',
    '<!-- Generated by `npm run docs` (sim/docs.ts) from the scenario JSON Schema; do not edit by hand. -->',
    '',
    `${typeof schema.description === 'string' ? schema.description : ''} A scenario is a YAML or JSON file; unknown keys are errors.`,
    'The same schema is in `scenarios/scenario.schema.json` (`sim schema` prints it), for editors with a YAML language server.',
    'Defaults are those the schema states; `results.json` records every scenario with its defaults filled in.',
    '',
    '## Top level',
    '',
    ...table(w.rows(schema, '')),
  ];
  // Sections for the unions met so far; documenting one may reveal another (a system's channel).
  for (let i = 0; i < w.unions.length; i++) {
    const union = w.unions[i];
    const what = union.title === 'Systems' ? 'system' : 'channel';
    lines.push('', `## ${union.title}`, '', `Each ${what} is an object whose \`type\` selects one of the kinds below.`);
    for (const v of union.variants) {
      const kind = constOf(v)!;
      const description = typeof v.description === 'string' ? v.description : '';
      const rows = w.rows({ ...v, properties: Object.fromEntries(Object.entries(obj(v.properties)).filter(([k]) => k !== 'type')) }, '');
      lines.push('', `### \`type: ${kind}\``, '');
      if (description) lines.push(prose(description), '');
      if (rows.length) lines.push(...table(rows));
      else lines.push('No further fields.');
    }
  }
  return lines.join('\n') + '\n';
}
