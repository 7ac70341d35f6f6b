/**
 * What the classical system kinds (hamming74, uncoded, hamming74-dbpsk, time-sharing) share: one curve, its
 * block system built by src/baselines/, and the closed forms (BLER and BER) where they exist, on a fine grid
 * over the sweep range.
 */
import type { BlockSystem } from '../system.ts';
import { analyticGrid } from './analytic-grid.ts';
import { loadBaselines, type BaselinesApi } from './engines.ts';
import type { CurveHead, CurvePlanOf, ObtainContext, SystemSpecBase } from './kind.ts';

/** The one curve of a classical system: `<id>`. */
export const ownCurve = <S extends SystemSpecBase>(s: S): CurvePlanOf<S>[] => [{ id: s.id, label: s.label, system: s }];

/** The head of that curve: its type is the system's, its labelling natural. */
export const classicalHead = <S extends SystemSpecBase>(plan: CurvePlanOf<S>): CurveHead<S['type']> => ({ type: plan.system.type, labelling: 'natural' });

/**
 * The obtain step of a classical kind: the block system `build` makes, its closed-form curves recorded on its
 * curve where they exist.
 */
export function obtainClassical<S extends SystemSpecBase>(build: (b: BaselinesApi, s: S) => BlockSystem) {
  return async (s: S, ctx: ObtainContext): Promise<[string, BlockSystem][]> => {
    const b = await loadBaselines();
    const system = build(b, s);
    const grid = analyticGrid([...ctx.ebno]);
    const curve = ctx.curves.find((c) => c.id === s.id)!;
    const analytic = b.analyticCurve(system, grid)?.map((bler, i) => ({ ebnoDb: grid[i], bler }));
    if (analytic?.length) curve.analytic = analytic;
    const analyticBer = b.analyticBerCurve(system, grid)?.map((ber, i) => ({ ebnoDb: grid[i], ber }));
    if (analyticBer?.length) curve.analyticBer = analyticBer;
    return [[s.id, system]];
  };
}
