"""Long short-term memory, laid out like a single-layer torch.nn.LSTM.

    i_t = σ(x_t·W_iiᵀ + b_ii + h_{t-1}·W_hiᵀ + b_hi)      input gate
    f_t = σ(x_t·W_ifᵀ + b_if + h_{t-1}·W_hfᵀ + b_hf)      forget gate
    g_t = tanh(x_t·W_igᵀ + b_ig + h_{t-1}·W_hgᵀ + b_hg)   candidate
    o_t = σ(x_t·W_ioᵀ + b_io + h_{t-1}·W_hoᵀ + b_ho)      output gate
    c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t
    h_t = o_t ⊙ tanh(c_t)

weight_ih (4H, I) and weight_hh (4H, H) stack the gate blocks in the order
i, f, g, o, as PyTorch does.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .module import Module, uniform
from .rnn import input_and_weight_grads

# σ(a) = ½ + ½·tanh(a/2): with the sigmoid rows of the weights halved, one
# tanh call activates all four gates of a step (rows i, f, g, o).
_TANH_SCALE = np.array([0.5, 0.5, 1.0, 0.5])
_CHUNK = 16  # time steps per block of local derivatives in backward


@dataclass(frozen=True)
class LSTMCache:
    """What backward needs, and what the scenes draw."""
    x: np.ndarray        # (T, B, I) inputs
    h0: np.ndarray       # (B, H) initial hidden state
    c0: np.ndarray       # (B, H) initial cell state
    hs: np.ndarray       # (T, B, H) hidden state after each step
    cs: np.ndarray       # (T, B, H) cell state after each step
    tanh_cs: np.ndarray  # (T, B, H) tanh(c_t)
    gates: np.ndarray    # (T, B, 4H) gate activations i, f, g, o

    def _gate(self, k: int) -> np.ndarray:
        H = self.hs.shape[-1]
        return self.gates[..., k * H:(k + 1) * H]

    @property
    def i(self) -> np.ndarray:
        """Input gate, (T, B, H)."""
        return self._gate(0)

    @property
    def f(self) -> np.ndarray:
        """Forget gate, (T, B, H)."""
        return self._gate(1)

    @property
    def g(self) -> np.ndarray:
        """Candidate cell values, (T, B, H)."""
        return self._gate(2)

    @property
    def o(self) -> np.ndarray:
        """Output gate, (T, B, H)."""
        return self._gate(3)

    @property
    def final(self) -> tuple[np.ndarray, np.ndarray]:
        """(h_T, c_T), the state after the last step."""
        return self.hs[-1], self.cs[-1]


class LSTM(Module):
    def __init__(self, input_size: int, hidden_size: int, seed: int = 0, dtype=np.float64):
        self.input_size, self.hidden_size, self.dtype = input_size, hidden_size, dtype
        rng = np.random.default_rng(seed)
        k = 1.0 / np.sqrt(hidden_size)
        H, I = hidden_size, input_size
        self.params = {
            "weight_ih": uniform(rng, (4 * H, I), k, dtype),
            "weight_hh": uniform(rng, (4 * H, H), k, dtype),
            "bias_ih": uniform(rng, (4 * H,), k, dtype),
            "bias_hh": uniform(rng, (4 * H,), k, dtype),
        }

    def forward(self, x: np.ndarray, state=None) -> tuple[np.ndarray, LSTMCache]:
        """x: (T, B, I); state: None or (h0, c0), either of which may be None."""
        T, B, _ = x.shape
        H = self.hidden_size
        h0, c0 = _initial_state(state, B, H, x.dtype)
        W_ih, W_hh = self.params["weight_ih"], self.params["weight_hh"]
        scale = np.repeat(_TANH_SCALE, H).astype(W_hh.dtype)  # (4H,)
        W_hhT = (W_hh * scale[:, None]).T  # (H, 4H)
        gates = (x.reshape(T * B, -1) @ (W_ih * scale[:, None]).T).reshape(T, B, 4 * H)
        gates += (self.params["bias_ih"] + self.params["bias_hh"]) * scale
        hs, cs, tanh_cs = np.empty((3, T, B, H), dtype=gates.dtype)
        hW = np.empty((B, 4 * H), dtype=gates.dtype)
        g, ig = np.empty((2, B, H), dtype=gates.dtype)
        half = gates.dtype.type(0.5)
        h, c = h0, c0
        for t in range(T):
            a = gates[t]  # (B, 4H) pre-activations, halved where σ applies
            a += np.matmul(h, W_hhT, out=hW)
            np.tanh(a, out=a)  # g_t, and tanh(a/2) for i, f, o
            np.copyto(g, a[:, 2 * H:3 * H])
            a *= half
            a += half  # σ(a) = ½ + ½·tanh(a/2) for i, f, o ...
            a[:, 2 * H:3 * H] = g  # ... and g put back
            c = np.multiply(a[:, H:2 * H], c, out=cs[t])  # f ⊙ c_{t-1}
            c += np.multiply(a[:, :H], g, out=ig)  # + i ⊙ g
            h = np.multiply(a[:, 3 * H:], np.tanh(c, out=tanh_cs[t]), out=hs[t])
        return hs, LSTMCache(x, h0, c0, hs, cs, tanh_cs, gates)

    def backward(self, d_output: np.ndarray | None, cache: LSTMCache, d_final=None):
        """d_output: (T, B, H) gradient w.r.t. every output h_t (None: zeros).

        d_final: optional (dh_T, dc_T) gradient w.r.t. the final state, either
        may be None. Returns (dx, (dh0, dc0), grads), grads keyed like state_dict().
        """
        x, hs = cache.x, cache.hs
        T, B, H = hs.shape
        W_hh = self.params["weight_hh"]
        da = np.empty_like(cache.gates)  # (T, B, 4H) ∂L/∂a_t, gates i, f, g, o
        dh_next, dc = _final_grads(d_final, B, H, da.dtype)
        dc_h = np.empty_like(dc)
        drive = np.empty((B, 4, H), dtype=da.dtype)  # what each gate's gradient scales: dc, dc, dc, dh
        dh = drive[:, 3]  # ∂L/∂h_t
        # Backwards in chunks of steps whose local derivatives stay in cache.
        for stop in range(T, 0, -_CHUNK):
            start = max(stop - _CHUNK, 0)
            dh_from_c, f = _local_grads(cache, start, stop, out=da[start:stop])
            for t in range(stop - 1, start - 1, -1):
                if d_output is None:
                    dh[...] = dh_next
                else:
                    np.add(d_output[t], dh_next, out=dh)
                dc += np.multiply(dh, dh_from_c[t - start], out=dc_h)  # ∂L/∂c_t
                drive[:, :3] = dc[:, None, :]
                da[t] *= drive.reshape(B, 4 * H)
                np.matmul(da[t], W_hh, out=dh_next)
                dc *= f[t - start]  # ∂L/∂c_{t-1}
        dx, grads = input_and_weight_grads(self.params["weight_ih"], da, da, cache.x, cache.h0, hs)
        return dx, (dh_next, dc), grads

    def step_jacobian(self, cache: LSTMCache, t: int) -> np.ndarray:
        """∂s_t/∂s_{t-1} for the full state s = (h, c): (B, 2H, 2H).

        Rows and columns list h first, then c. The c→c block is diag(f_t),
        the "highway" along which gradients survive.
        """
        H = self.hidden_size
        i, f, g, o = (a[t] for a in (cache.i, cache.f, cache.g, cache.o))  # (B, H)
        tc = cache.tanh_cs[t]
        c_prev = cache.c0 if t == 0 else cache.cs[t - 1]
        W_i, W_f, W_g, W_o = (self.params["weight_hh"][k * H:(k + 1) * H] for k in range(4))
        d_i = (g * i * (1 - i))[:, :, None] * W_i  # (B, H, H)
        d_f = (c_prev * f * (1 - f))[:, :, None] * W_f
        d_g = (i * (1 - g * g))[:, :, None] * W_g
        dc_dh = d_i + d_f + d_g  # ∂c_t/∂h_{t-1}
        dh_dc = o * (1 - tc * tc)  # ∂h_t/∂c_t, diagonal
        dh_dh = (tc * o * (1 - o))[:, :, None] * W_o + dh_dc[:, :, None] * dc_dh
        B = i.shape[0]
        J = np.zeros((B, 2 * H, 2 * H), dtype=dc_dh.dtype)
        J[:, :H, :H] = dh_dh
        J[:, H:, :H] = dc_dh
        diag = np.arange(H)
        J[:, diag, H + diag] = dh_dc * f  # ∂h_t/∂c_{t-1}
        J[:, H + diag, H + diag] = f  # ∂c_t/∂c_{t-1}
        return J


def _initial_state(state, B: int, H: int, dtype) -> tuple[np.ndarray, np.ndarray]:
    h0, c0 = (None, None) if state is None else state
    h0 = np.zeros((B, H), dtype=dtype) if h0 is None else h0
    c0 = np.zeros((B, H), dtype=dtype) if c0 is None else c0
    return h0, c0


def _final_grads(d_final, B: int, H: int, dtype) -> tuple[np.ndarray, np.ndarray]:
    """Fresh (dh_T, dc_T) buffers holding d_final, or zeros where it is None."""
    dh, dc = np.zeros((2, B, H), dtype=dtype)
    for buf, d in zip((dh, dc), d_final or (None, None)):
        if d is not None:
            buf += d
    return dh, dc


def _local_grads(cache: LSTMCache, start: int, stop: int, out: np.ndarray):
    """Local derivatives of steps start..stop-1, each (stop-start, B, ·).

    out (·, B, 4H) receives, per gate, the factor that turns dc_t (gates i,
    f, g) or dh_t (gate o) into the gradient of its pre-activation.
    Returns (∂h_t/∂c_t, f_t) as contiguous arrays.
    """
    H = cache.hs.shape[-1]
    steps = slice(start, stop)
    acts = cache.gates[steps]
    i, f, g, o = (acts[..., k * H:(k + 1) * H] for k in range(4))
    tc = cache.tanh_cs[steps]
    c_prev = cache.cs[start - 1:stop - 1] if start else np.concatenate([cache.c0[None], cache.cs[:stop - 1]])
    np.subtract(1.0, acts, out=out)
    out *= acts  # σ' = σ(1 - σ) for i, f, o (the g block is overwritten next)
    out_i, out_f, out_g, out_o = (out[..., k * H:(k + 1) * H] for k in range(4))
    np.multiply(g, g, out=out_g)
    np.subtract(1.0, out_g, out=out_g)  # tanh' = 1 - g²
    out_i *= g  # i acts through i ⊙ g
    out_f *= c_prev  # f acts through f ⊙ c_{t-1}
    out_g *= i  # g acts through i ⊙ g
    out_o *= tc  # o acts through o ⊙ tanh(c_t)
    dh_from_c = tc * tc
    np.subtract(1.0, dh_from_c, out=dh_from_c)
    dh_from_c *= o
    return dh_from_c, np.ascontiguousarray(f)
