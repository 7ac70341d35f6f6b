/**
 * The claim checks a scenario can opt into (`claims: [fig3a, ml-reference]`), by name: what each tells a
 * reader and which curves it reads. Names and words only, no logic: the scenario schema builds its `claims`
 * enum and description from here, and the checks themselves (src/analysis/claim-registry.ts) have one function
 * per name. A new check is named here and given its function there; nowhere else spells its name. Each entry
 * also says, as a test on the scenario's systems, the least it needs to measure anything: the scenario checks
 * refuse a claim that cannot apply (fig6 without a two-user system) instead of a run that FAILs it "not measured".
 */

/** What `applies` reads of a compiled system. */
export interface ClaimSystemView {
  type: string;
  k?: number;
  n?: number;
  mlReference?: boolean;
  receiver?: unknown;
}

const isAe = (s: ClaimSystemView, k?: number, n?: number): boolean =>
  s.type === 'autoencoder' && (k === undefined || s.k === k) && (n === undefined || s.n === n);
const ae74AndHamming = (ss: readonly ClaimSystemView[]): boolean => ss.some((s) => isAe(s, 4, 7)) && ss.some((s) => s.type === 'hamming74');

export interface ClaimEntry {
  /** What the check tells a reader (the scenario schema's description lists these). */
  description: string;
  /** The curves it reads, found by what the systems are (type, k, n, …), never by id. */
  needs: string;
  /** Whether its rows have bounds (PASS, FAIL or INCONCLUSIVE) or are reported only (figure and interval, no verdict). */
  judged: boolean;
  /** False when the systems lack what every row of the check reads (it could only report "not measured"). */
  applies: (systems: readonly ClaimSystemView[]) => boolean;
}

export const CLAIM_CATALOGUE = {
  fig3a: {
    description: 'Fig. 3a: the (7,4) autoencoder within a bound of Hamming (7,4) ML decoding, and beating hard decision',
    needs: 'a (7,4) real autoencoder with the energy constraint, Hamming (7,4) ML and hard-decision curves over AWGN',
    judged: true,
    applies: ae74AndHamming,
  },
  fig3b: {
    description: 'Fig. 3b: the (2,2) autoencoder as good as uncoded BPSK (2,2), the (8,8) one better than BPSK (8,8)',
    needs: '(2,2) and (8,8) real autoencoders, uncoded BPSK with k = 2 and k = 8 over AWGN',
    judged: true,
    applies: (ss) => ss.some((s) => isAe(s, 2, 2) || isAe(s, 8, 8)),
  },
  'power-constraints': {
    description:
      'The (1,4) complex system (k = 4 on one complex use, the paper\'s "(2,4)"): energy learns a 16-PSK, average power a QAM-like packing near 16-QAM, energy-max in between',
    needs: 'k = 4 autoencoders on one complex use with energy, energy-max and average-power constraints, and uncoded 16-QAM over AWGN',
    judged: true,
    applies: (ss) => ss.some((s) => isAe(s, 4, 1)),
  },
  robustness: {
    description: '(7,4) autoencoders trained from several seeds all reach a bound of Hamming (7,4) ML',
    needs: 'several (7,4) real autoencoders with the energy constraint and a Hamming (7,4) ML curve over AWGN',
    judged: true,
    applies: ae74AndHamming,
  },
  'train-snr': {
    description: 'Reported only: the gap of each (7,4) autoencoder to Hamming (7,4) ML, labelled by its training Eb/N0',
    needs: '(7,4) real autoencoders and a Hamming (7,4) ML curve over AWGN',
    judged: false,
    applies: ae74AndHamming,
  },
  'ml-reference': {
    description:
      'Reported only: each learned decoder against ML decoding of its own codebook (nearest-codeword decoding where that is not ML: no CSI, or per-symbol fading), the "<id>-ml" curves',
    needs: 'autoencoders with mlReference (their "<id>-ml" curves)',
    judged: false,
    applies: (ss) => ss.some((s) => isAe(s) && s.mlReference === true),
  },
  'fig9-rtn': {
    description:
      'Figs. 9–10: over 3-tap multipath fading without CSI, the (8,4) complex RTN autoencoder reaches BLER 1e-2 at least 3 dB before the plain autoencoder and before Hamming (7,4) + DBPSK with MLSE',
    needs: '(8,4) complex autoencoders over multipath with and without an RTN receiver, and a hamming74-dbpsk system',
    judged: true,
    applies: (ss) => ss.some((s) => isAe(s) && s.receiver !== undefined),
  },
  fig6: {
    description: 'Fig. 6: two-user autoencoders (1,1), (2,2) equal time sharing, (4,4) and (4,8) beat it at 1e-3, and the two users need the same Eb/N0',
    needs: 'two-user systems and time-sharing baselines with the same k and n over AWGN',
    judged: true,
    applies: (ss) => ss.some((s) => s.type === 'two-user'),
  },
} satisfies Record<string, ClaimEntry>;

export type ClaimName = keyof typeof CLAIM_CATALOGUE;
export const CLAIM_NAMES = Object.keys(CLAIM_CATALOGUE) as [ClaimName, ...ClaimName[]];

export const isClaimName = (name: string): name is ClaimName => Object.hasOwn(CLAIM_CATALOGUE, name);
