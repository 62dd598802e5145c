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

from .module import Module, recurrent_params
from .recurrent_projection import input_and_weight_grads, input_projection

# Inside forward and backward the gates run in the order o, i, f, g
# (PyTorch's blocks 3, 0, 1, 2). A step's three sigmoid gates live in one
# (B, 3H) block and g in a (B, H) block of its own, so the small elementwise
# operations that dominate a step run on contiguous memory (one (T, 4, B, H)
# array filled through a strided view of each step's matmul took 1.25x as
# long in forward).
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
    oif: np.ndarray      # (T, B, 3H) sigmoid gates o, i, f (read them as .o, .i, .f)
    g: np.ndarray        # (T, B, H) candidate cell values
    tokens: tuple | None = None  # (table, ids) when forward was given them: backward's dx is then ∂L/∂table

    def _sigmoid_gate(self, k: int) -> np.ndarray:
        H = self.hs.shape[-1]
        return self.oif[..., k * H:(k + 1) * H]

    @property
    def o(self) -> np.ndarray:
        """Output gate, (T, B, H)."""
        return self._sigmoid_gate(0)

    @property
    def i(self) -> np.ndarray:
        """Input gate, (T, B, H)."""
        return self._sigmoid_gate(1)

    @property
    def f(self) -> np.ndarray:
        """Forget gate, (T, B, H)."""
        return self._sigmoid_gate(2)

    @property
    def final(self) -> tuple[np.ndarray, np.ndarray]:
        """(h_T, c_T), the state after the last step."""
        return self.hs[-1], self.cs[-1]


class LSTM(Module):
    def __init__(self, input_size: int, hidden_size: int, seed: int = 0, dtype=np.float64):
        self.input_size, self.hidden_size, self.dtype = input_size, hidden_size, dtype
        self.params = recurrent_params(input_size, hidden_size, 4, seed, dtype)

    def forward(self, x: np.ndarray, h0=None, tokens=None) -> tuple[np.ndarray, LSTMCache]:
        """x: (T, B, I); h0: None or the pair (h0, c0), either of which may be None;
        tokens: optional (table, ids) with x = table[ids] (see input_projection).

        The keyword is h0, as for RNN.forward and GRU.forward, so the three
        models are called alike; for the LSTM it carries both initial states.
        """
        T, B, I = x.shape
        H = self.hidden_size
        W_ih, W_hh, b = _inner_weights(self.params, H)  # (4, H, I), (4, H, H), (4, 1, H)
        # σ(a) = ½ + ½·tanh(a/2): with the sigmoid rows of the weights halved,
        # one tanh call activates the three sigmoid gates of a step.
        half = W_hh.dtype.type(0.5)
        W_oifT = np.ascontiguousarray((W_hh[:3] * half).transpose(2, 0, 1)).reshape(H, 3 * H)  # C order is faster
        W_gT = np.ascontiguousarray(W_hh[3].T)  # (H, H)
        # Input projections of every step, one array per activation, with the biases.
        oif = input_projection(x, (W_ih[:3] * half).reshape(3 * H, I), (b[:3] * half).reshape(3 * H), tokens)
        gs = input_projection(x, W_ih[3], b[3, 0], tokens)
        h0, c0 = _initial_state(h0, B, H, oif.dtype)
        hs, cs, tanh_cs = np.empty((3, T, B, H), dtype=oif.dtype)
        hW = np.empty((B, 3 * H), dtype=oif.dtype)
        ig = np.empty((B, H), dtype=oif.dtype)
        h, c = h0, c0
        for t in range(T):
            s = oif[t]  # (B, 3H) pre-activations, halved
            s += np.dot(h, W_oifT, out=hW)  # dot: less overhead than matmul
            np.tanh(s, out=s)
            s *= half
            s += half  # σ(a) = ½ + ½·tanh(a/2)
            g = gs[t]
            g += np.dot(h, W_gT, out=ig)
            np.tanh(g, out=g)
            c = np.multiply(s[:, 2 * H:], c, out=cs[t])
            c += np.multiply(s[:, H:2 * H], g, out=ig)  # c_t = f ⊙ c_{t-1} + i ⊙ g
            h = np.multiply(s[:, :H], np.tanh(c, out=tanh_cs[t]), out=hs[t])
        return hs, LSTMCache(x, h0, c0, hs, cs, tanh_cs, oif, gs, tokens)

    def backward(self, d_output: np.ndarray | None, cache: LSTMCache, d_final=None):
        """d_output: (T, B, H) gradient w.r.t. every output h_t (None: zeros).

        d_final: optional (dh_T, dc_T) gradient w.r.t. the final state, either
        may be None. Returns (dx, (dh0, dc0), grads), grads keyed like state_dict(); dx is
        ∂L/∂table (V, I) when forward was given tokens=(table, ids).
        """
        T, B, H = cache.hs.shape
        W_hh = _inner_order(self.params["weight_hh"], H)  # (4H, H), blocks o, i, f, g
        da = np.empty((T, B, 4 * H), dtype=cache.hs.dtype)  # ∂L/∂a_t, blocks o, i, f, g
        dh_next, dc = _final_grads(d_final, B, H, da.dtype)
        dc_h = np.empty_like(dc)
        drive = np.empty((B, 4, H), dtype=da.dtype)  # what each gate's gradient scales: dh, dc, dc, dc
        dh = drive[:, 0]  # ∂L/∂h_t
        # Backwards in chunks of steps whose local derivatives stay in cache.
        for stop in range(T, 0, -_CHUNK):
            start = max(stop - _CHUNK, 0)
            local, dh_from_c, f = _local_grads(cache, start, stop)
            for t in range(stop - 1, start - 1, -1):
                if d_output is None:
                    dh[...] = dh_next
                else:
                    np.add(d_output[t], dh_next, out=dh)
                dc += np.multiply(dh, dh_from_c[t - start], out=dc_h)  # ∂L/∂c_t
                drive[:, 1:] = dc[:, None, :]
                np.multiply(local[t - start], drive.reshape(B, 4 * H), out=da[t])
                np.dot(da[t], W_hh, out=dh_next)
                dc *= f[t - start]  # ∂L/∂c_{t-1}
        dx, grads = input_and_weight_grads(_inner_order(self.params["weight_ih"], H), da, da,
                                           cache.x, cache.h0, cache.hs, cache.tokens)
        return dx, (dh_next, dc), {k: _torch_order(v, H) for k, v in grads.items()}

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


def _inner_order(a: np.ndarray, H: int) -> np.ndarray:
    """PyTorch's blocks i, f, g, o (of H rows each) in the inner order o, i, f, g."""
    return np.concatenate([a[3 * H:], a[:3 * H]])


def _inner_weights(params, H: int):
    """W_ih (4, H, I), W_hh (4, H, H) and b_ih + b_hh (4, 1, H), blocks o, i, f, g."""
    W_ih, W_hh = _inner_order(params["weight_ih"], H), _inner_order(params["weight_hh"], H)
    b = _inner_order(params["bias_ih"] + params["bias_hh"], H)
    return W_ih.reshape(4, H, -1), W_hh.reshape(4, H, H), b.reshape(4, 1, H)


def _torch_order(inner: np.ndarray, H: int) -> np.ndarray:
    """Blocks o, i, f, g (of H rows each) back in PyTorch's order i, f, g, o."""
    return np.concatenate([inner[H:], inner[:H]])


def _initial_state(state, B: int, H: int, dtype) -> tuple[np.ndarray, np.ndarray]:
    h0, c0 = (None, None) if state is None else state
    h0 = np.zeros((B, H), dtype=dtype) if h0 is None else np.asarray(h0, dtype=dtype)
    c0 = np.zeros((B, H), dtype=dtype) if c0 is None else np.asarray(c0, dtype=dtype)
    return h0, c0


def _final_grads(d_final, B: int, H: int, dtype) -> tuple[np.ndarray, np.ndarray]:
    """Fresh (dh_T, dc_T) buffers holding d_final, or zeros where it is None."""
    dh, dc = np.zeros((2, B, H), dtype=dtype)
    for buf, d in zip((dh, dc), d_final or (None, None)):
        if d is not None:
            buf += d
    return dh, dc


def _local_grads(cache: LSTMCache, start: int, stop: int):
    """Local derivatives of steps start..stop-1.

    Returns (local, ∂h_t/∂c_t, f_t): local (·, B, 4H) holds per gate block
    (o, i, f, g) the factor that turns dh_t (gate o) or dc_t (gates i, f, g)
    into the gradient of its pre-activation; the other two are (·, B, H).
    """
    steps = slice(start, stop)
    H = cache.hs.shape[-1]
    oif, g = cache.oif[steps], cache.g[steps]
    i, f = oif[..., H:2 * H], oif[..., 2 * H:]
    tc = cache.tanh_cs[steps]
    c_prev = cache.cs[start - 1:stop - 1] if start else np.concatenate([cache.c0[None], cache.cs[:stop - 1]])
    local = np.empty((*g.shape[:2], 4 * H), dtype=g.dtype)
    local_oif, local_g = local[..., :3 * H], local[..., 3 * H:]
    np.subtract(1.0, oif, out=local_oif)
    local_oif *= oif  # σ' = σ(1 - σ) for o, i, f
    local[..., :H] *= tc  # o acts through o ⊙ tanh(c_t)
    local[..., H:2 * H] *= g  # i acts through i ⊙ g
    local[..., 2 * H:3 * H] *= c_prev  # f acts through f ⊙ c_{t-1}
    np.multiply(g, g, out=local_g)
    np.subtract(1.0, local_g, out=local_g)  # tanh' = 1 - g²
    local_g *= i  # g acts through i ⊙ g
    dh_from_c = tc * tc
    np.subtract(1.0, dh_from_c, out=dh_from_c)
    dh_from_c *= oif[..., :H]
    return local, dh_from_c, np.ascontiguousarray(f)
