/**
 * Every registered system kind keeps the contract of src/systems/kind.ts: it is found under its own type, the
 * scenario schema accepts its example (in a scenario that passes every check) and refuses an unknown field,
 * compiling fills its defaults into plain JSON (idempotently where a compiled system is a valid input again),
 * and its curve plans and empty curves say what they are. A new kind is held to all of it by registering it.
 */
import assert from 'node:assert/strict';
import { emptyCurve } from '../../src/run/curves.ts';
import { compileScenario, curvePlan, quickScenario, validateScenario } from '../../src/scenario/index.ts';
import { systemSchema } from '../../src/scenario/schema.ts';
import { compileSystemEntry, kindOf, kindOfCurveType, SYSTEM_KINDS, SYSTEM_TYPES, systemKind } from '../../src/systems/registry.ts';

const scenarioWith = (system: Record<string, unknown>) => ({ name: 'registry', sweep: { ebnoDb: [0, 2] }, systems: [{ ...system }] });

describe('system registry', () => {
  it('types are unique and each kind is found under its own type', () => {
    assert.equal(new Set(SYSTEM_TYPES).size, SYSTEM_KINDS.length);
    for (const kind of SYSTEM_KINDS) assert.equal(systemKind(kind.type), kind);
    assert.throws(() => systemKind('nonexistent'), /unknown system type nonexistent \(registered: /);
  });

  it('curve types belong to one kind each', () => {
    const all = SYSTEM_KINDS.flatMap((k) => k.curveTypes);
    assert.equal(new Set(all).size, all.length);
    for (const kind of SYSTEM_KINDS) for (const t of kind.curveTypes) assert.equal(kindOfCurveType(t), kind);
    assert.equal(kindOfCurveType('nonexistent'), undefined);
  });

  for (const kind of SYSTEM_KINDS) {
    describe(`${kind.type}`, () => {
      it('the scenario schema accepts its example, refuses an unknown field, and the fragment is described', () => {
        assert.ok(systemSchema.safeParse(kind.example).success);
        assert.equal(systemSchema.safeParse({ ...kind.example, notAField: 1 }).success, false);
        assert.ok((kind.schema.meta() as { description?: string } | undefined)?.description, `${kind.type} has no description`);
      });

      it('a scenario of its example passes every check and compiles to plain JSON with its defaults and label', () => {
        const r = validateScenario(scenarioWith(kind.example));
        assert.ok(r.ok, r.ok ? '' : JSON.stringify(r.problems));
        const sc = compileScenario(r.scenario);
        const s = sc.systems[0];
        assert.equal(s.type, kind.type);
        assert.equal(kindOf(s), kind);
        assert.deepEqual(JSON.parse(JSON.stringify(s)), s);
        assert.equal(s.label, kind.defaultLabel(s as never));
        const labelled = validateScenario(scenarioWith({ ...kind.example, label: 'mine' }));
        assert.ok(labelled.ok);
        assert.equal(compileScenario(labelled.scenario).systems[0].label, 'mine');
        for (const key of Object.keys(kind.defaults))
          if (key in kind.schema.shape) assert.ok(key in s, `${kind.type}: default ${key} missing from the compiled system`);
        // --quick never changes what is measured, only budgets.
        const q = quickScenario(sc).systems[0];
        assert.deepEqual({ ...q, train: undefined }, { ...s, train: undefined });
        assert.equal(kind.trains, 'train' in s);
      });

      it('compiling is a function of the entry; a compiled classical system compiles to itself', function () {
        const r = validateScenario(scenarioWith(kind.example));
        assert.ok(r.ok);
        const s = compileScenario(r.scenario).systems[0];
        // The compile step is a function of its entry: the same again, the entry untouched.
        const entry = structuredClone(r.scenario.systems[0]);
        assert.deepEqual(compileSystemEntry(entry, s.channel), compileSystemEntry(entry, s.channel));
        assert.deepEqual(entry, r.scenario.systems[0]);
        // A trained kind's compiled recipe records choices (auto Eb/N0, convergence) that are no scenario input.
        if (kind.trains) this.skip();
        assert.deepEqual(compileSystemEntry({ ...s }, s.channel), s);
      });

      it("its curve plans come first under its own id (or its users' ids) and say what they are", () => {
        const r = validateScenario(scenarioWith(kind.example));
        assert.ok(r.ok);
        const sc = compileScenario(r.scenario);
        const plans = curvePlan(sc);
        assert.ok(plans.length >= 1);
        assert.equal(new Set(plans.map((p) => p.id)).size, plans.length);
        for (const plan of plans) {
          assert.equal(plan.system, sc.systems[0]);
          assert.ok(plan.id.startsWith(sc.systems[0].id));
          const curve = emptyCurve(plan, sc.sweep.ebnoDb);
          assert.ok((kind.curveTypes as readonly string[]).includes(curve.type), `${plan.id}: curve type ${curve.type}`);
          assert.equal(curve.points.length, 2);
        }
      });
    });
  }
});
