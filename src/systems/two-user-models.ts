/**
 * A two-user system inside `sim run`: its two trained pairs (trained, or loaded from the run's models/ on
 * --resume / from --models), and the block systems of its curves. Loaded on demand by the two-user kind
 * (two-user.ts) when a run obtains its systems (it loads tfjs).
 *
 * Models are saved as two single-link autoencoder folders, models/<id>-u1 and models/<id>-u2.
 * Monte Carlo: every curve of a two-user system uses the system id as its stream id, so `<id>-u1`, `<id>-u2`
 * and their joint-ML curves are measured on the same blocks (src/montecarlo/two-user-kernel.ts).
 */
import { blockFading } from '../channels/registry.ts';
import { trainingOptions } from '../scenario/compile-parts.ts';
import { requireNodeBuiltin } from '../platform.ts';
import { TrainedAutoencoder } from '../autoencoder/trained.ts';
import { TrainingAbortedError } from '../autoencoder/train.ts';
import { deriveSeed, type SeedPart } from '../random.ts';
import type { BlockSystem } from '../system.ts';
import { userCurveId, userMlCurveId, type CompiledTwoUser } from './two-user-ids.ts';
import { trainTwoUser, userSpec, type TwoUserRecord, type TwoUserTrainOptions } from '../twouser/train.ts';

export interface ObtainedTwoUser {
  users: [TrainedAutoencoder, TrainedAutoencoder];
  /** α and both losses per logged step (undefined for loaded models: the run's results.json keeps it). */
  record?: TwoUserRecord;
  source: 'trained' | 'loaded';
}

export const twoUserModelDir = (modelsDir: string, id: string, user: 1 | 2): string =>
  requireNodeBuiltin('node:path', 'a model folder').join(modelsDir, userCurveId(id, user));

/** The saved pair in `dir` (both users' folders), if there is one. */
export async function loadTwoUser(dir: string, id: string): Promise<[TrainedAutoencoder, TrainedAutoencoder] | undefined> {
  const d1 = twoUserModelDir(dir, id, 1);
  const d2 = twoUserModelDir(dir, id, 2);
  // Model folders are files: Node's (platform.ts).
  const { existsSync } = requireNodeBuiltin('node:fs', 'loading a saved model');
  const { join } = requireNodeBuiltin('node:path', 'loading a saved model');
  if (!existsSync(join(d1, 'autoencoder.json')) || !existsSync(join(d2, 'autoencoder.json'))) return undefined;
  return [await TrainedAutoencoder.load(d1), await TrainedAutoencoder.load(d2)];
}

/** Trains both pairs (undefined: interrupted). Seed path (scenario seed, 'train', id). */
export async function trainTwoUserSystem(
  s: CompiledTwoUser,
  seed: SeedPart,
  hooks: Pick<TwoUserTrainOptions, 'onProgress' | 'signal'>,
): Promise<{ users: [TrainedAutoencoder, TrainedAutoencoder]; record: TwoUserRecord } | undefined> {
  const t = s.train;
  try {
    return await trainTwoUser(userSpec(s), {
      ...trainingOptions(t),
      seed: deriveSeed(seed, 'train', s.id),
      alpha: s.alpha,
      crossGain: s.crossGain,
      ...hooks,
    });
  } catch (e) {
    if (e instanceof TrainingAbortedError || hooks.signal?.aborted) return undefined;
    throw e;
  }
}

/** The curves of a two-user system and the block system each measures. */
export function twoUserSystems(s: CompiledTwoUser, users: [TrainedAutoencoder, TrainedAutoencoder]): [string, BlockSystem][] {
  const out: [string, BlockSystem][] = [];
  const codebooks = [users[0].codebook(), users[1].codebook()];
  for (const user of [1, 2] as const) {
    const sys = users[user - 1].toBlockSystem(userCurveId(s.id, user));
    out.push([sys.id, { ...sys, coUser: { user, codebook: codebooks[2 - user], crossGain: s.crossGain } }]);
  }
  if (s.mlReference)
    for (const user of [1, 2] as const) {
      const [, learned] = out[user - 1];
      const other = codebooks[2 - user];
      // Fading links: the gains are in each received row (perfect CSI; the scenario checks refuse it without).
      const { gains } = blockFading(s.channel, s.n);
      const fading = gains > 0 ? { fading: { gains } } : {};
      out.push([
        userMlCurveId(s.id, user),
        { ...learned, id: userMlCurveId(s.id, user), decoder: { kind: 'joint-nearest-pair', other, crossGain: s.crossGain, ...fading } },
      ]);
    }
  return out;
}
