/**
 * What a run may do with the results.json already in its folder: --resume continues it only if it is the
 * same run (scenario with every default, seed, --quick) of the same simulator version; a plain run replaces it
 * only if it is the same run (of any version), or holds nothing measured, unless the user says --force.
 */
import { isFinished, type ResultsFile } from '../results/results.ts';
import type { CompiledScenario } from '../scenario/compiled.ts';
import { stableJson } from '../data/stable-json.ts';
import { cliMsg } from '../messages.ts';

/**
 * How the previous run differs from this one, in words (undefined: it is the same run). With `project` (this
 * simulator's version), a run written by another version differs too: its Monte Carlo arithmetic may decide
 * near-ties differently (0.2.0's float32 learned decoders) or train other models (0.3.0's fused multiply-add in
 * the training products), so its chunks cannot be continued.
 */
export function runDifference(previous: ResultsFile, sc: CompiledScenario, quick: boolean, project?: string): string | undefined {
  if (previous.quick !== quick) return previous.quick ? 'a --quick run' : 'a full run, not --quick';
  if (project !== undefined && previous.versions.project !== project)
    return `written by version ${previous.versions.project} of the simulator, this is ${project}`;
  if (String(previous.scenario.seed) !== String(sc.seed)) return `seed ${previous.scenario.seed}, this run seed ${sc.seed}`;
  if (previous.scenario.name !== sc.name) return `scenario ${previous.scenario.name}`;
  if (stableJson(previous.scenario) !== stableJson(sc))
    return previous.upgradedFrom !== undefined
      ? `an older version of the simulator (results format ${previous.upgradedFrom}), whose defaults differ`
      : 'the scenario file has changed since';
  return undefined;
}

/** True when the file holds at least one measured point (something a user would lose). */
export const hasMeasuredPoints = (r: ResultsFile): boolean => r.curves.some((c) => c.points.some(isFinished));

/**
 * Why `previous` (the results.json in the run folder) stops this run, or undefined: it may go on. With --resume
 * the run must be the same run of this version; without, a different run with measured points is protected.
 * Both refusals of a different run give the same way out (--force or another --out): advice that sent --resume
 * to a plain run and a plain run back to --resume went in circles.
 */
export function previousRunRefusal(
  file: string,
  previous: ResultsFile,
  sc: CompiledScenario,
  opts: { resume: boolean; quick: boolean; project: string },
): string | undefined {
  const difference = runDifference(previous, sc, opts.quick);
  if (difference && (opts.resume || hasMeasuredPoints(previous))) return cliMsg.differentRun(file, difference);
  if (!opts.resume) return undefined;
  const version = runDifference(previous, sc, opts.quick, opts.project);
  return version ? cliMsg.resumeOtherVersion(file, version) : undefined;
}
