"""Peer benchmark for `npm run bench`: Monte Carlo of the simulator's own trained decoders in numpy and JAX.

The simulator writes its (7,4) and (8,8) autoencoders (codebook, decoder dense layers with the same float32
weights) to a JSON file; this script runs the same Monte Carlo work on them, noise generation included:
uniform messages, codeword lookup, y = x + sigma * N(0, 1) (float32), the decoder's dense layers (relu
hidden, linear output), argmax, block-error count. sigma = sqrt(1 / (2 R Eb/N0)) as src/conventions.ts.

- numpy: a vectorized loop over chunks of B blocks (numpy's PCG64 + ziggurat normals, float32 matmuls
  through its BLAS), the way a straightforward script would write it.
- jax: the whole chunk (PRNG, matmuls, argmax, count) in one jit-compiled function on the CPU, run in a
  Python loop over chunks with a new key per chunk.
Both use as many threads as their libraries choose. Each figure is the best chunk size of a short sweep,
then measured for `seconds`.

Usage: python3 bench/mc_peer.py <systems.json> <numpy|jax> [seconds]
Prints one JSON object: {"<name>": {"blocksPerSecond": ..., "batch": ..., "bler": ...}, ...}.
"""
import json
import sys
import time

import numpy as np


def load(path):
    with open(path) as f:
        spec = json.load(f)
    out = []
    for s in spec["systems"]:
        M = 2 ** s["k"]
        dims = s["dims"]
        cb = np.asarray(s["codebook"], dtype=np.float32).reshape(M, dims)
        # A layer is (kernel, bias, activation), or (None, None, activation) for an activation-only layer.
        layers = [
            (np.asarray(l["kernel"], dtype=np.float32).reshape(l["inDim"], l["outDim"]), np.asarray(l["bias"], dtype=np.float32), l["activation"])
            if "kernel" in l
            else (None, None, l["activation"])
            for l in s["layers"]
        ]
        sigma = (1.0 / (2 * (s["k"] / s["n"]) * 10 ** (s["ebnoDb"] / 10))) ** 0.5
        out.append((s["name"], M, dims, cb, layers, np.float32(sigma)))
    return out


def act(a, v, xp):
    if a == "relu":
        return xp.maximum(v, 0)
    if a in ("linear", "softmax"):  # softmax does not change the argmax
        return v
    raise ValueError(f"activation {a} not in the peer")


def timed(run_chunk, batches, seconds):
    best = (0.0, batches[0])
    for B in batches:  # short sweep for the chunk size
        run_chunk(B)
        t0 = time.perf_counter()
        n = 0
        while time.perf_counter() - t0 < 0.3:
            run_chunk(B)
            n += B
        rate = n / (time.perf_counter() - t0)
        if rate > best[0]:
            best = (rate, B)
    B = best[1]
    t0 = time.perf_counter()
    blocks = errors = 0
    while time.perf_counter() - t0 < seconds:
        errors += run_chunk(B)
        blocks += B
    return {"blocksPerSecond": round(blocks / (time.perf_counter() - t0)), "batch": B, "bler": errors / blocks}


def numpy_peer(systems, seconds):
    rng = np.random.default_rng(1)
    res = {}
    for name, M, dims, cb, layers, sigma in systems:
        def chunk(B):
            msgs = rng.integers(0, M, B)
            y = cb[msgs] + sigma * rng.standard_normal((B, dims), dtype=np.float32)
            h = y
            for W, b, a in layers:
                h = act(a, h if W is None else h @ W + b, np)
            return int(np.count_nonzero(np.argmax(h, axis=1) != msgs))

        res[name] = timed(chunk, [1024, 4096, 16384, 65536], seconds)
    res["numpy"] = np.__version__
    return res


def jax_peer(systems, seconds):
    import jax
    import jax.numpy as jnp

    jax.config.update("jax_platforms", "cpu")
    res = {}
    for name, M, dims, cb, layers, sigma in systems:
        cbj = jnp.asarray(cb)
        lj = [(None, None, a) if W is None else (jnp.asarray(W), jnp.asarray(b), a) for W, b, a in layers]
        fns = {}

        def make(B):
            @jax.jit
            def run(key):
                km, kn = jax.random.split(key)
                msgs = jax.random.randint(km, (B,), 0, M)
                y = cbj[msgs] + sigma * jax.random.normal(kn, (B, dims), jnp.float32)
                h = y
                for W, b, a in lj:
                    h = act(a, h if W is None else h @ W + b, jnp)
                return jnp.sum(jnp.argmax(h, axis=1) != msgs)

            return run

        state = {"key": jax.random.PRNGKey(1)}

        def chunk(B):
            if B not in fns:
                fns[B] = make(B)
            state["key"], k = jax.random.split(state["key"])
            return int(fns[B](k))

        res[name] = timed(chunk, [1024, 4096, 16384, 65536], seconds)
    res["jax"] = jax.__version__
    return res


def main():
    path, which = sys.argv[1], sys.argv[2]
    seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 2.5
    systems = load(path)
    out = numpy_peer(systems, seconds) if which == "numpy" else jax_peer(systems, seconds)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
