"""Gated recurrent unit, laid out like a single-layer torch.nn.GRU.

    r_t = σ(x_t·W_irᵀ + b_ir + h_{t-1}·W_hrᵀ + b_hr)            reset gate
    z_t = σ(x_t·W_izᵀ + b_iz + h_{t-1}·W_hzᵀ + b_hz)            update gate
    n_t = tanh(x_t·W_inᵀ + b_in + r_t ⊙ (h_{t-1}·W_hnᵀ + b_hn))  candidate
    h_t = (1 - z_t) ⊙ n_t + z_t ⊙ h_{t-1}

weight_ih (3H, I) and weight_hh (3H, H) stack the blocks in the order r, z, n,
as PyTorch does.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .module import Module, recurrent_params
from .rnn import input_and_weight_grads

# σ(a) = ½ + ½·tanh(a/2): with the r and z rows of the weights halved, one
# tanh call activates both gates.
_TANH_SCALE = np.array([0.5, 0.5, 1.0])


@dataclass(frozen=True)
class GRUCache:
    """What backward needs, and what the scenes draw."""
    x: np.ndarray      # (T, B, I) inputs
    h0: np.ndarray     # (B, H) initial state
    hs: np.ndarray     # (T, B, H) hidden state after each step
    gates: np.ndarray  # (T, B, 3H) activations r, z, n
    hn: np.ndarray     # (T, B, H) h_{t-1}·W_hnᵀ + b_hn, what r_t scales

    def _gate(self, k: int) -> np.ndarray:
        H = self.hs.shape[-1]
        return self.gates[..., k * H:(k + 1) * H]

    @property
    def r(self) -> np.ndarray:
        """Reset gate, (T, B, H)."""
        return self._gate(0)

    @property
    def z(self) -> np.ndarray:
        """Update gate, (T, B, H): 1 keeps the old state, 0 takes n_t."""
        return self._gate(1)

    @property
    def n(self) -> np.ndarray:
        """Candidate state, (T, B, H)."""
        return self._gate(2)

    @property
    def final(self) -> np.ndarray:
        """h_T, the state after the last step (B, H)."""
        return self.hs[-1]


class GRU(Module):
    def __init__(self, input_size: int, hidden_size: int, seed: int = 0, dtype=np.float64):
        self.input_size, self.hidden_size, self.dtype = input_size, hidden_size, dtype
        self.params = recurrent_params(input_size, hidden_size, 3, seed, dtype)

    def forward(self, x: np.ndarray, h0: np.ndarray | None = None) -> tuple[np.ndarray, GRUCache]:
        T, B, _ = x.shape
        H = self.hidden_size
        p = self.params
        scale = np.repeat(_TANH_SCALE, H).astype(p["weight_hh"].dtype)  # (3H,)
        W_hhT = np.ascontiguousarray((p["weight_hh"] * scale[:, None]).T)  # (H, 3H); C order is faster
        b_hn = p["bias_hh"][2 * H:]
        # r, z take both biases here; n's hidden bias sits inside r ⊙ (·).
        b = p["bias_ih"] + np.concatenate([p["bias_hh"][:2 * H], np.zeros_like(b_hn)])
        gates = (x.reshape(T * B, -1) @ (p["weight_ih"] * scale[:, None]).T).reshape(T, B, 3 * H)
        gates += b * scale
        h0 = np.zeros((B, H), dtype=gates.dtype) if h0 is None else np.asarray(h0, dtype=gates.dtype)
        hs, hn = np.empty((2, T, B, H), dtype=gates.dtype)
        hW = np.empty((B, 3 * H), dtype=gates.dtype)
        rhn = np.empty((B, H), dtype=gates.dtype)
        half = gates.dtype.type(0.5)
        h = h0
        for t in range(T):
            a = gates[t]  # (B, 3H) pre-activations, halved for r and z
            np.dot(h, W_hhT, out=hW)  # dot: less call overhead than matmul
            rz = a[:, :2 * H]
            rz += hW[:, :2 * H]
            np.tanh(rz, out=rz)
            rz *= half
            rz += half  # σ(a) = ½ + ½·tanh(a/2)
            np.add(hW[:, 2 * H:], b_hn, out=hn[t])
            n = a[:, 2 * H:]
            n += np.multiply(rz[:, :H], hn[t], out=rhn)
            np.tanh(n, out=n)
            h_new = np.subtract(h, n, out=hs[t])
            h_new *= rz[:, H:]
            h = np.add(h_new, n, out=hs[t])  # n + z ⊙ (h_{t-1} - n)
        return hs, GRUCache(x, h0, hs, gates, hn)

    def backward(self, d_output: np.ndarray | None, cache: GRUCache,
                 d_final: np.ndarray | None = None):
        """d_output: (T, B, H) gradient w.r.t. every output h_t (None: zeros).

        d_final: optional (B, H) gradient w.r.t. the final state h_T.
        Returns (dx, dh0, grads) with grads keyed like state_dict().
        """
        x, hs = cache.x, cache.hs
        T, B, H = hs.shape
        dgh, dn_pre = _local_grads(cache)  # (T, B, 3H), (T, B, H)
        z = np.ascontiguousarray(cache.z)
        W_hh = self.params["weight_hh"]
        dhs = np.empty_like(hs)  # ∂L/∂h_t, all steps
        dh_next = np.zeros((B, H), dtype=hs.dtype)  # through h_{t+1} only
        if d_final is not None:
            dh_next += d_final
        dh_direct = np.empty_like(dh_next)
        for t in range(T - 1, -1, -1):
            dh = dhs[t]
            if d_output is None:
                dh[...] = dh_next
            else:
                np.add(d_output[t], dh_next, out=dh)
            dgh[t].reshape(B, 3, H)[...] *= dh[:, None, :]  # ∂L/∂(h_{t-1}·W_hhᵀ + b_hh)
            np.dot(dgh[t], W_hh, out=dh_next)
            dh_next += np.multiply(dh, z[t], out=dh_direct)
        dgi = dgh.copy()  # ∂L/∂(x_t·W_ihᵀ + b_ih): r, z as above; n without r
        np.multiply(dn_pre, dhs, out=dgi[..., 2 * H:])
        dx, grads = input_and_weight_grads(self.params["weight_ih"], dgi, dgh, x, cache.h0, hs)
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


def _local_grads(cache: GRUCache) -> tuple[np.ndarray, np.ndarray]:
    """Per-step factors, all steps at once, that turn ∂L/∂h_t into

    - ∂L/∂(h_{t-1}·W_hhᵀ + b_hh), blocks r, z, n: (T, B, 3H)
    - ∂L/∂(n's pre-activation): (T, B, H)
    """
    r, z, n = cache.r, cache.z, cache.n
    h_prev = np.concatenate([cache.h0[None], cache.hs[:-1]], axis=0)  # (T, B, H)
    dn_pre = (1.0 - z) * (1.0 - n * n)  # ∂h_t/∂n_t · tanh'
    out = np.empty_like(cache.gates)
    H = r.shape[-1]
    np.multiply(dn_pre * cache.hn, r * (1.0 - r), out=out[..., :H])  # via r ⊙ hn
    np.multiply(h_prev - n, z * (1.0 - z), out=out[..., H:2 * H])  # via z ⊙ (h_{t-1} - n)
    np.multiply(dn_pre, r, out=out[..., 2 * H:])  # via r ⊙ (h·W_hnᵀ + b_hn)
    return out, dn_pre
