"""Peer benchmark for `npm run bench`: the same autoencoders trained with JAX (jit, CPU).

Network (O'Shea & Hoydis, Table I, as src/autoencoder/build.ts with defaults): one-hot M -> Dense(M, relu)
-> Dense(n) -> energy normalization (||x||^2 = n) -> AWGN at 7 dB (sigma^2 = 1/(2 R Eb/N0)) -> Dense(M, relu)
-> Dense(M) -> softmax cross-entropy; Adam (lr 0.001 as the simulator's default), batch 1000, float32.
The one-hot product is written as a matrix product, as a straightforward script would.

Prints one JSON object: steps per second for (7,4) and (8,8) (k=4, n=7 and k=8, n=8), after warm-up.
Usage: python3 bench/jax_autoencoder.py [seconds per size]
"""
import json
import sys
import time

import jax
import jax.numpy as jnp

jax.config.update("jax_platforms", "cpu")


def glorot(key, shape):
    lim = jnp.sqrt(6.0 / (shape[0] + shape[1]))
    return jax.random.uniform(key, shape, jnp.float32, -lim, lim)


def init(key, k, n):
    M = 2 ** k
    ks = jax.random.split(key, 4)
    return {
        "e1": (glorot(ks[0], (M, M)), jnp.zeros(M)),
        "e2": (glorot(ks[1], (M, n)), jnp.zeros(n)),
        "d1": (glorot(ks[2], (n, M)), jnp.zeros(M)),
        "d2": (glorot(ks[3], (M, M)), jnp.zeros(M)),
    }


def make_step(k, n, batch, ebno_db=7.0, lr=1e-3):
    M = 2 ** k
    sigma = (1.0 / (2 * (k / n) * 10 ** (ebno_db / 10))) ** 0.5

    def loss_fn(p, key):
        km, kn = jax.random.split(key)
        msgs = jax.random.randint(km, (batch,), 0, M)
        onehot = jax.nn.one_hot(msgs, M)
        h = jax.nn.relu(onehot @ p["e1"][0] + p["e1"][1])
        x = h @ p["e2"][0] + p["e2"][1]
        x = x * jnp.sqrt(n / (jnp.sum(x * x, axis=1, keepdims=True) + 1e-12))
        y = x + sigma * jax.random.normal(kn, x.shape)
        h = jax.nn.relu(y @ p["d1"][0] + p["d1"][1])
        logits = h @ p["d2"][0] + p["d2"][1]
        return -jnp.mean(jnp.sum(onehot * jax.nn.log_softmax(logits), axis=1))

    b1, b2, eps = 0.9, 0.999, 1e-7

    @jax.jit
    def step(p, m, v, t, key):
        loss, g = jax.value_and_grad(loss_fn)(p, key)
        t = t + 1
        m = jax.tree_util.tree_map(lambda a, b: b1 * a + (1 - b1) * b, m, g)
        v = jax.tree_util.tree_map(lambda a, b: b2 * a + (1 - b2) * b * b, v, g)
        lr_t = lr * jnp.sqrt(1 - b2 ** t) / (1 - b1 ** t)
        p = jax.tree_util.tree_map(lambda w, a, b: w - lr_t * a / (jnp.sqrt(b) + eps), p, m, v)
        return p, m, v, t, loss

    return step


def rate(k, n, seconds):
    key = jax.random.PRNGKey(0)
    p = init(key, k, n)
    m = jax.tree_util.tree_map(jnp.zeros_like, p)
    v = jax.tree_util.tree_map(jnp.zeros_like, p)
    t = jnp.zeros((), jnp.float32)
    step = make_step(k, n, 1000)
    for i in range(20):  # compile + warm up
        key, sub = jax.random.split(key)
        p, m, v, t, loss = step(p, m, v, t, sub)
    loss.block_until_ready()
    steps = 0
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        for _ in range(10):
            key, sub = jax.random.split(key)
            p, m, v, t, loss = step(p, m, v, t, sub)
        loss.block_until_ready()  # the simulator reads the loss every step too
        steps += 10
    return steps / (time.perf_counter() - t0)


if __name__ == "__main__":
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 3.0
    print(json.dumps({"jax": jax.__version__, "ae74StepsPerSecond": round(rate(4, 7, seconds), 1), "ae88StepsPerSecond": round(rate(8, 8, seconds), 1)}))
