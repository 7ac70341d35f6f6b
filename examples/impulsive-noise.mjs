// A channel kind defined outside the package: Bernoulli–Gaussian impulsive noise. Each real dimension gets
// background noise σ·z, and with probability p an impulse: the noise is then √κ·σ·z (κ = powerRatio).
// Eb/N0 on a sweep's axis sets the background σ as for AWGN (σ² = 1/(2·R·Eb/N0)).
//
// It is one module that registers its kind when imported; examples/user-channel.mjs loads it with
// useKindModule so that the worker threads of training and Monte Carlo load it too.
import { defineChannelKind, memorylessUnfaded, registerChannelKind, unitGain, z } from 'learned-phy-sim/kinds';

/** Q(x) = P(N(0,1) > x), from erfc (W. J. Cody's rational approximations are overkill here: A&S 7.1.26, |error| < 1.5e-7). */
function qfunc(x) {
  const t = 1 / (1 + (0.3275911 * Math.abs(x)) / Math.SQRT2);
  const erfc = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-(x * x) / 2);
  return x >= 0 ? erfc / 2 : 1 - erfc / 2;
}

/** The threshold t with Q(t) = p, by bisection: a second standard normal draw u marks an impulse when u > t. */
function threshold(p) {
  let lo = -10;
  let hi = 10;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (qfunc(mid) > p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

class ImpulsiveChannel {
  constructor(spec, n, signalling) {
    this.spec = spec;
    this.n = n;
    this.signalling = signalling;
    this.dims = signalling === 'complex' ? 2 * n : n;
    this.outDims = this.dims;
    // Per block: dims background normals, then dims normals that decide where the impulses are.
    this.drawDims = 2 * this.dims;
    this.t = threshold(spec.probability);
    this.scale = Math.sqrt(spec.powerRatio);
  }

  applyArrays(x, draws, sigma, y, blocks) {
    const { dims, drawDims, t, scale } = this;
    for (let b = 0; b < blocks; b++) {
      for (let i = 0; i < dims; i++) {
        const z = draws[b * drawDims + i];
        const u = draws[b * drawDims + dims + i];
        y[b * dims + i] = x[b * dims + i] + sigma * (u > t ? scale * z : z);
      }
    }
  }

  // y = x + noise: the Jacobian in x is the identity.
  vjpArrays(_draws, dy, dx, blocks) {
    dx.set(dy.subarray(0, blocks * this.dims));
  }

  applyTensors(tf, x, draws, sigma) {
    const z = tf.slice(draws, [0, 0], [-1, this.dims]);
    const u = tf.slice(draws, [0, this.dims], [-1, this.dims]);
    const gain = tf.where(tf.greater(u, this.t), tf.fill(u.shape, this.scale), tf.onesLike(u));
    return tf.add(x, tf.mul(tf.mul(z, gain), sigma));
  }
}

const DEFAULTS = { probability: 0.05, powerRatio: 100 };

export const impulsive = defineChannelKind({
  type: 'impulsive',
  example: { type: 'impulsive', probability: 0.02, powerRatio: 50 },
  defaults: DEFAULTS,
  schema: z
    .strictObject({
      type: z.literal('impulsive'),
      probability: z.number().gt(0).lt(1).optional().meta({ description: `Probability of an impulse per real dimension (default ${DEFAULTS.probability}).` }),
      powerRatio: z.number().min(1).optional().meta({ description: `Impulse noise power over background noise power, κ (default ${DEFAULTS.powerRatio}).` }),
    })
    .meta({ description: 'Bernoulli–Gaussian impulsive noise (examples/impulsive-noise.mjs).' }),
  compile: (input) => ({ type: 'impulsive', probability: input.probability ?? DEFAULTS.probability, powerRatio: input.powerRatio ?? DEFAULTS.powerRatio }),
  label: (s) => `impulsive noise (p = ${s.probability}, κ = ${s.powerRatio})`,
  make: (spec, n, signalling) => new ImpulsiveChannel(spec, n, signalling),
  // The noise is a Gaussian mixture per dimension: the likelihood is not a function of the Euclidean distance alone.
  nearestCodewordIsMl: () => false,
  // No fading: a symbol's gain is 1. `exact: false`: closed forms over this law are AWGN's, not this channel's.
  gainLaw: () => ({ ...unitGain, exact: false }),
  // Capabilities: not Gaussian noise alone (no importance sampling, no fused AWGN kernel), no memory, no fading,
  // nothing an RTN could estimate, no two-user links.
  noiseOnly: false,
  ...memorylessUnfaded,
});

registerChannelKind(impulsive);

/** Uncoded BPSK bit error probability over this channel at Eb/N0 (linear): background or impulse noise. */
export function bpskBer(spec, ebno) {
  const sigma = Math.sqrt(1 / (2 * ebno));
  return (1 - spec.probability) * qfunc(1 / sigma) + spec.probability * qfunc(1 / (sigma * Math.sqrt(spec.powerRatio)));
}
