"""Gated recurrent unit, laid out like a single-layer torch.nn.GRU.

    r_t = σ(x_t·W_irᵀ + b_ir + h_{t-1}·W_hrᵀ + b_hr)            reset gate
    z_t = σ(x_t·W_izᵀ + b_iz + h_{t-1}·W_hzᵀ + b_hz)            update gate
    n_t = tanh(x_t·W_inᵀ + b_in + r_t ⊙ (h_{t-1}·W_hnᵀ + b_hn))  candidate
    h_t = (1 - z_t) ⊙ n_t + z_t ⊙ h_{t-1}

weight_ih (3H, I) and weight_hh (3H, H) stack the blocks in the order r, z, n,
as PyTorch does.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from .module import Module, recurrent_params
from .recurrent_projection import input_and_weight_grads, input_projection

# σ(a) = ½ + ½·tanh(a/2): with the r and z rows of the weights halved, one
# tanh call activates both gates.
_CHUNK = 16  # time steps per block of local derivatives in backward


@dataclass(frozen=True)
class GRUCache:
    """What backward needs, and what the scenes draw.

    r and z live in one array, n in another: the per-step work then runs on
    contiguous blocks (slices of one (T, B, 3H) array made the forward pass
    ~1.4x slower).
    """
    x: np.ndarray      # (T, B, I) inputs
    h0: np.ndarray     # (B, H) initial state
    hs: np.ndarray     # (T, B, H) hidden state after each step
    rz: np.ndarray     # (T, B, 2H) activations r, z
    n: np.ndarray      # (T, B, H) candidate state
    hn: np.ndarray     # (T, B, H) h_{t-1}·W_hnᵀ + b_hn, what r_t scales
    tokens: tuple | None = None  # (table, ids) when forward was given them: backward's dx is then ∂L/∂table

    @property
    def r(self) -> np.ndarray:
        """Reset gate, (T, B, H)."""
        return self.rz[..., :self.hs.shape[-1]]

    @property
    def z(self) -> np.ndarray:
        """Update gate, (T, B, H): 1 keeps the old state, 0 takes n_t."""
        return self.rz[..., self.hs.shape[-1]:]

    @property
    def final(self) -> np.ndarray:
        """h_T, the state after the last step (B, H)."""
        return self.hs[-1]


class GRU(Module):
    def __init__(self, input_size: int, hidden_size: int, seed: int = 0, dtype=np.float64):
        self.input_size, self.hidden_size, self.dtype = input_size, hidden_size, dtype
        self.params = recurrent_params(input_size, hidden_size, 3, seed, dtype)

    def forward(self, x: np.ndarray, h0: np.ndarray | None = None, tokens=None) -> tuple[np.ndarray, GRUCache]:
        """x (T, B, I); tokens: optional (table, ids) with x = table[ids] (see input_projection)."""
        T, B, _ = x.shape
        H = self.hidden_size
        W_ih, W_hh, b_ih, b_hh = (self.params[k] for k in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"))
        half = W_hh.dtype.type(0.5)
        W_rzT = np.ascontiguousarray((W_hh[:2 * H] * half).T)  # (H, 2H); C order is faster
        W_nT = np.ascontiguousarray(W_hh[2 * H:].T)  # (H, H)
        b_hn = np.tile(b_hh[2 * H:], (B, 1))  # (B, H): a same-shape add takes half the time of a broadcast one
        # Input projections of every step, one array for r and z, one for n; r and z take
        # both biases here, n's hidden bias sits inside r ⊙ (·).
        rz = input_projection(x, W_ih[:2 * H] * half, (b_ih[:2 * H] + b_hh[:2 * H]) * half, tokens)
        ns = input_projection(x, W_ih[2 * H:], b_ih[2 * H:], tokens)
        h0 = np.zeros((B, H), dtype=rz.dtype) if h0 is None else np.asarray(h0, dtype=rz.dtype)
        hs, hn = np.empty((2, T, B, H), dtype=rz.dtype)
        hW = np.empty((B, 2 * H), dtype=rz.dtype)
        rhn = np.empty((B, H), dtype=rz.dtype)
        h = h0
        # each step's arrays as views from zip: a (B, 2H) pre-activations (halved) of r and z
        for a, r, z, hn_t, n, h_t in zip(rz, rz[:, :, :H], rz[:, :, H:], hn, ns, hs):
            a += np.dot(h, W_rzT, out=hW)  # dot: less call overhead than matmul
            np.tanh(a, out=a)
            a *= half
            a += half  # σ(a) = ½ + ½·tanh(a/2)
            np.dot(h, W_nT, out=hn_t)
            hn_t += b_hn
            n += np.multiply(r, hn_t, out=rhn)
            np.tanh(n, out=n)
            h_new = np.subtract(h, n, out=h_t)
            h_new *= z
            h = np.add(h_new, n, out=h_t)  # n + z ⊙ (h_{t-1} - n)
        return hs, GRUCache(x, h0, hs, rz, ns, hn, tokens)

    def backward(self, d_output: np.ndarray | None, cache: GRUCache,
                 d_final: np.ndarray | None = None):
        """d_output: (T, B, H) gradient w.r.t. every output h_t (None: zeros).

        d_final: optional (B, H) gradient w.r.t. the final state h_T.
        Returns (dx, dh0, grads) with grads keyed like state_dict(); dx is ∂L/∂table (V, I)
        when forward was given tokens=(table, ids).
        """
        x, hs = cache.x, cache.hs
        T, B, H = hs.shape
        W_hh = self.params["weight_hh"]
        W_hh_nrz = np.concatenate([W_hh[2 * H:], W_hh[:2 * H]])  # (3H, H), blocks n, r, z
        dhs = np.empty_like(hs)  # ∂L/∂h_t, all steps
        # Blocks n_hh, r, z, n_ih: ∂L/∂(h_{t-1}·W_hhᵀ + b_hh) is the first three
        # (n, r, z), ∂L/∂(x_t·W_ihᵀ + b_ih) the last three (r, z, n): both are
        # views, and r, z are written once for both.
        dg = np.empty((T, B, 4 * H), dtype=hs.dtype)
        dh_next = np.zeros((B, H), dtype=hs.dtype)  # through h_{t+1} only
        if d_final is not None:
            dh_next += d_final
        dh_direct = np.empty_like(dh_next)
        # Backwards in chunks of steps whose local derivatives stay in cache
        # (whole-sequence passes over (T, B, 3H) arrays took twice as long).
        for stop in range(T, 0, -_CHUNK):
            start = max(stop - _CHUNK, 0)
            local, dn_pre, z = _local_grads(cache, start, stop)
            steps = slice(start, stop)
            d_outs = itertools.repeat(None) if d_output is None else d_output[steps][::-1]
            g = dg[steps]
            # Steps stop-1 … start as views from zip (indexing each step's arrays cost ~2 µs a step).
            # The three blocks of ∂L/∂(h_{t-1}·W_hhᵀ + b_hh) are filled one by one: one product
            # with dh broadcast over them took 5.6 µs, three 4.4.
            for d_t, dh, da, da_n, da_r, da_z, l_n, l_r, l_z, z_t in zip(
                    d_outs, dhs[steps][::-1], g[::-1, :, :3 * H], g[::-1, :, :H], g[::-1, :, H:2 * H],
                    g[::-1, :, 2 * H:3 * H], *(a[::-1] for a in local), z[::-1]):
                if d_t is None:
                    dh[...] = dh_next
                else:
                    np.add(d_t, dh_next, out=dh)
                np.multiply(l_n, dh, out=da_n)
                np.multiply(l_r, dh, out=da_r)
                np.multiply(l_z, dh, out=da_z)
                np.dot(da, W_hh_nrz, out=dh_next)
                dh_next += np.multiply(dh, z_t, out=dh_direct)
            np.multiply(dn_pre, dhs[steps], out=g[..., 3 * H:])
        dx, grads = input_and_weight_grads(self.params["weight_ih"], dg[..., H:], dg[..., :3 * H],
                                           x, cache.h0, hs, cache.tokens)
        for key in ("weight_hh", "bias_hh"):
            grads[key] = np.concatenate([grads[key][H:], grads[key][:H]])  # n, r, z -> r, z, n (np.roll took 3x as long)
        return dx, dh_next, grads

    def step_jacobian(self, cache: GRUCache, t: int) -> np.ndarray:
        """∂h_t/∂h_{t-1} for each sequence: (B, H, H)."""
        H = self.hidden_size
        r, z, n, hn = cache.r[t], cache.z[t], cache.n[t], cache.hn[t]  # (B, H)
        h_prev = cache.h0 if t == 0 else cache.hs[t - 1]
        W_r, W_z, W_n = (self.params["weight_hh"][k * H:(k + 1) * H] for k in range(3))
        dr = (r * (1 - r))[:, :, None] * W_r  # ∂r_t/∂h_{t-1}, (B, H, H)
        dz = (z * (1 - z))[:, :, None] * W_z
        dn = (1 - n * n)[:, :, None] * (r[:, :, None] * W_n + hn[:, :, None] * dr)
        J = (1 - z)[:, :, None] * dn + (h_prev - n)[:, :, None] * dz
        diag = np.arange(H)
        J[:, diag, diag] += z
        return J


def _local_grads(cache: GRUCache, start: int, stop: int):
    """Local derivatives of steps start..stop-1, each (·, B, H) and contiguous:

    - the factors of blocks n, r, z that turn ∂L/∂h_t into ∂L/∂(h_{t-1}·W_hhᵀ + b_hh)
    - ∂L/∂(n's pre-activation) per unit of ∂L/∂h_t
    - z_t, which carries ∂L/∂h_t straight to h_{t-1}

    r and z are read out of their (·, B, 2H) array once each; every other operation runs on
    contiguous blocks (writing the factors into one (·, B, 3H) array took ~30% longer).
    """
    steps = slice(start, stop)
    H = cache.hs.shape[-1]
    rz, n = cache.rz[steps], cache.n[steps]
    r, z = rz[..., :H], np.ascontiguousarray(rz[..., H:])
    h_prev = cache.hs[start - 1:stop - 1] if start else np.concatenate([cache.h0[None], cache.hs[:stop - 1]])
    one_minus_z = np.subtract(1.0, z)
    dn_pre = n * n
    np.subtract(1.0, dn_pre, out=dn_pre)
    dn_pre *= one_minus_z  # ∂h_t/∂n_t · tanh'
    local_n = np.multiply(dn_pre, r)  # hn acts through r ⊙ hn
    local_r = np.subtract(1.0, r)
    local_r *= r  # σ' = σ(1 - σ)
    local_r *= dn_pre
    local_r *= cache.hn[steps]  # r acts through r ⊙ hn
    local_z = np.subtract(h_prev, n)  # z acts through z ⊙ (h_{t-1} - n)
    local_z *= z
    local_z *= one_minus_z
    return (local_n, local_r, local_z), dn_pre, z
