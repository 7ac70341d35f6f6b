"""Noncoherent ML reference for an autoencoder's codebook over multipath fading (docs/scenarios.md,
"Multipath and radio transformer networks").

Over the multipath channel y = T(x)·h + n (T(x): the n×L convolution matrix of the codeword, cut to n;
h ~ CN(0, diag(p)); n ~ CN(0, N0·I)), y given message m is Gaussian: y | m ~ CN(0, Σ_m) with
Σ_m = T(c_m) diag(p) T(c_m)^H + N0·I. So the best any receiver WITHOUT channel knowledge (csi: none, what
the RTN and the plain decoder get) can do with that codebook is argmin_m  y^H Σ_m^{-1} y + log det Σ_m,
computed here exactly. The simulator's `<id>-ml` genie curve knows the taps and is not reachable without
them; this bound is. Also prints the genie (argmin_m ‖y − T(c_m)h‖²) on the same blocks as a check.

    python3 bench/noncoherent_ml.py <results.json> <curve id> <Eb/N0 list, e.g. 12,13,14,15,16> [blocks]

Conventions (src/conventions.ts): energy n per codeword, σ² = 1/(2·(k/n)·Eb/N0) per real dimension, N0 = 2σ².
Independent of the simulator's code (numpy only); its own seeded numpy stream, so counts are statistically,
not bit-for-bit, comparable with a run's curves.
"""
import json
import sys

import numpy as np


def main() -> None:
    res = json.load(open(sys.argv[1]))
    curve = next(c for c in res['curves'] if c['id'] == sys.argv[2])
    ebnos = [float(a) for a in sys.argv[3].split(',')]
    blocks = int(sys.argv[4]) if len(sys.argv) > 4 else 400_000
    n, k = curve['n'], curve['k']
    M = 2**k
    ch = curve['channel']
    L = ch['taps']
    p = np.full(L, 1 / L) if ch.get('profile', 'uniform') == 'uniform' else np.asarray(ch['profile'], float) / np.sum(ch['profile'])
    cb = np.asarray(curve['codebook'], float).reshape(M, n, 2)
    X = cb[..., 0] + 1j * cb[..., 1]
    T = np.zeros((M, n, L), complex)
    for l in range(L):
        T[:, l:, l] = X[:, : n - l]
    rng = np.random.default_rng(20261122)
    chunk = 100_000
    for eb in ebnos:
        N0 = 2 / (2 * (k / n) * 10 ** (eb / 10))
        S = np.einsum('mil,l,mjl->mij', T, p, T.conj()) + N0 * np.eye(n)
        Si = np.linalg.inv(S)
        logdet = np.linalg.slogdet(S)[1]
        nc = genie = done = 0
        while done < blocks:
            B = min(chunk, blocks - done)
            m = rng.integers(0, M, B)
            h = (rng.standard_normal((B, L)) + 1j * rng.standard_normal((B, L))) * np.sqrt(p / 2)
            y = np.einsum('bil,bl->bi', T[m], h) + (rng.standard_normal((B, n)) + 1j * rng.standard_normal((B, n))) * np.sqrt(N0 / 2)
            q = np.einsum('bi,mij,bj->bm', y.conj(), Si, y).real + logdet[None, :]
            nc += int(np.sum(np.argmin(q, 1) != m))
            r = y[:, None, :] - np.einsum('mil,bl->bmi', T, h)
            genie += int(np.sum(np.argmin(np.sum(np.abs(r) ** 2, 2), 1) != m))
            done += B
        print(f'{eb:6.2f} dB  noncoherent ML (no CSI) BLER {nc / blocks:.3e} ({nc} errors)   genie (taps known) {genie / blocks:.3e} ({genie} errors)   {blocks} blocks', flush=True)


if __name__ == '__main__':
    main()
