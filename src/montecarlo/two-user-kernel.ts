/**
 * The Monte Carlo chunk of one receiver of a two-user system (BlockSystem with `coUser`): both transmitters
 * send in every block, the channel is src/channels/two-user.ts, and only this receiver decodes.
 *
 * Stream use per chunk (part of the reproducibility contract, and the same for either user so that the curves
 * `<id>-u1` and `<id>-u2`, run with the same stream id, see the same blocks): `blocks` draws of user 1's
 * messages, `blocks` of user 2's, then `blocks × drawDims` normals (per block user 1's noise, then user 2's,
 * then with Rayleigh links the gains h11, h12, h21, h22: src/channels/two-user-rayleigh.ts). Each
 * curve keeps its own stopping rule, so one may count more chunks than the other; the chunks both counted are
 * the same blocks.
 */
import { channelTypesWhere, hasTwoUserLinks, makeTwoUserChannel } from '../channels/registry.ts';
import type { TwoUserChannelModel } from '../channels/two-user-model.ts';
import { decoderModule, type DecodeFn } from '../decoders/index.ts';
import { countErrors } from './ber.ts';
import type { ChunkCounts } from './chunk-runner.ts';
import type { RandomStream } from '../random.ts';
import type { BlockSystem } from '../system.ts';

export class TwoUserChunkKernel {
  readonly M: number;
  readonly dims: number;
  private readonly channel: TwoUserChannelModel;
  private readonly decode: DecodeFn;
  private readonly own: Float32Array;
  private readonly other: Float32Array;
  private readonly user: 1 | 2;
  private m1 = new Int32Array(0);
  private m2 = new Int32Array(0);
  private decided = new Int32Array(0);
  private xOwn = new Float32Array(0);
  private xOther = new Float32Array(0);
  private draws = new Float32Array(0);
  private y = new Float32Array(0);

  constructor(
    readonly system: BlockSystem,
    capacity = 0,
  ) {
    const co = system.coUser;
    if (!co) throw new Error(`system ${system.id}: not a two-user receiver`);
    if (!hasTwoUserLinks(system.channel.type) || system.signalling !== 'complex')
      throw new Error(
        `system ${system.id}: the two-user channel has ${channelTypesWhere((k) => k.twoUser !== undefined)} links and complex signalling (channel ${system.channel.type}, signalling ${system.signalling})`,
      );
    if (co.codebook.length !== system.codebook.length)
      throw new Error(`system ${system.id}: the other user's codebook has ${co.codebook.length} values, expected ${system.codebook.length}`);
    this.M = 2 ** system.k;
    this.channel = makeTwoUserChannel(system.channel, system.n, co.crossGain);
    this.dims = this.channel.dims;
    this.own = system.codebook;
    this.other = co.codebook;
    this.user = co.user;
    this.decode = decoderModule(system.decoder).build(system, system.decoder);
    this.ensure(capacity);
  }

  private ensure(blocks: number): void {
    if (this.m1.length >= blocks) return;
    this.m1 = new Int32Array(blocks);
    this.m2 = new Int32Array(blocks);
    this.decided = new Int32Array(blocks);
    this.xOwn = new Float32Array(blocks * this.dims);
    this.xOther = new Float32Array(blocks * this.dims);
    this.draws = new Float32Array(blocks * this.channel.drawDims);
    this.y = new Float32Array(blocks * this.channel.outDims);
  }

  dispose(): void {
    this.decode.dispose?.();
  }

  run(sigma: number, stream: RandomStream, blocks: number): ChunkCounts {
    this.ensure(blocks);
    const { m1, m2, xOwn, xOther, draws, y, decided, dims } = this;
    stream.fillInts(m1, this.M, blocks);
    stream.fillInts(m2, this.M, blocks);
    stream.fillNormal(draws, 0, blocks * this.channel.drawDims);
    const mine = this.user === 1 ? m1 : m2;
    const theirs = this.user === 1 ? m2 : m1;
    for (let b = 0, o = 0; b < blocks; b++) {
      const a = mine[b] * dims;
      const c = theirs[b] * dims;
      for (let j = 0; j < dims; j++, o++) {
        xOwn[o] = this.own[a + j];
        xOther[o] = this.other[c + j];
      }
    }
    this.channel.applyArraysFor(this.user, xOwn, xOther, draws, sigma, y, blocks);
    this.decode(y, blocks, decided);
    return countErrors(decided, mine, blocks, this.system.labels);
  }
}
