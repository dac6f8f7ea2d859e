"""The PyTorch baseline of bench/trainer: the same Llama-style model and training step as Distill's, in torch.nn.

Run with Debian's interpreter (/usr/bin/python3, python3-torch 1.13). One run = warmup steps, then timed steps;
the figures come last as name=value lines. The model is written the way Hugging Face's transformers wrote Llama for
torch 1.13 (no scaled_dot_product_attention yet): RMSNorm in float32, rotate_half RoPE, grouped-query attention as
matmul + causal mask + softmax + matmul, SwiGLU, untied head.
"""

import argparse
import math
import time

import torch
import torch.nn.functional as F
from torch import nn


class RMSNorm(nn.Module):
    def __init__(self, size, eps):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(size))
        self.eps = eps

    def forward(self, x):
        x32 = x.float()
        normalized = x32 * torch.rsqrt(x32.pow(2).mean(-1, keepdim=True) + self.eps)
        return self.weight * normalized.to(x.dtype)


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat([-x[..., half:], x[..., :half]], dim=-1)


class Attention(nn.Module):
    def __init__(self, a):
        super().__init__()
        self.heads, self.kv_heads, self.head_dim = a.heads, a.kv_heads, a.hidden // a.heads
        self.q_proj = nn.Linear(a.hidden, self.heads * self.head_dim, bias=False)
        self.k_proj = nn.Linear(a.hidden, self.kv_heads * self.head_dim, bias=False)
        self.v_proj = nn.Linear(a.hidden, self.kv_heads * self.head_dim, bias=False)
        self.o_proj = nn.Linear(self.heads * self.head_dim, a.hidden, bias=False)

    def forward(self, x, cos, sin, causal_mask):
        batch, length, _ = x.shape
        q = self.q_proj(x).view(batch, length, self.heads, self.head_dim).transpose(1, 2)
        k = self.k_proj(x).view(batch, length, self.kv_heads, self.head_dim).transpose(1, 2)
        v = self.v_proj(x).view(batch, length, self.kv_heads, self.head_dim).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        groups = self.heads // self.kv_heads
        if groups > 1:
            k = k.repeat_interleave(groups, dim=1)
            v = v.repeat_interleave(groups, dim=1)
        scores = q @ k.transpose(-2, -1) / math.sqrt(self.head_dim) + causal_mask
        attended = scores.softmax(-1) @ v
        return self.o_proj(attended.transpose(1, 2).reshape(batch, length, self.heads * self.head_dim))


class FeedForward(nn.Module):
    def __init__(self, a):
        super().__init__()
        self.gate_proj = nn.Linear(a.hidden, a.intermediate, bias=False)
        self.up_proj = nn.Linear(a.hidden, a.intermediate, bias=False)
        self.down_proj = nn.Linear(a.intermediate, a.hidden, bias=False)

    def forward(self, x):
        return self.down_proj(F.silu(self.gate_proj(x)) * self.up_proj(x))


class DecoderLayer(nn.Module):
    def __init__(self, a):
        super().__init__()
        self.self_attn = Attention(a)
        self.mlp = FeedForward(a)
        self.input_layernorm = RMSNorm(a.hidden, a.eps)
        self.post_attention_layernorm = RMSNorm(a.hidden, a.eps)

    def forward(self, x, cos, sin, causal_mask):
        x = x + self.self_attn(self.input_layernorm(x), cos, sin, causal_mask)
        return x + self.mlp(self.post_attention_layernorm(x))


class LlamaForCausalLM(nn.Module):
    def __init__(self, a):
        super().__init__()
        head_dim = a.hidden // a.heads
        self.embed_tokens = nn.Embedding(a.vocab, a.hidden)
        self.layers = nn.ModuleList(DecoderLayer(a) for _ in range(a.layers))
        self.norm = RMSNorm(a.hidden, a.eps)
        self.lm_head = nn.Linear(a.hidden, a.vocab, bias=False)
        self.register_buffer("inv_freq", 1.0 / a.rope_theta ** (torch.arange(0, head_dim, 2, dtype=torch.float64) / head_dim), persistent=False)

    def forward(self, input_ids):
        batch, length = input_ids.shape
        x = self.embed_tokens(input_ids)
        # cos/sin and the causal mask are built each forward, as Distill does.
        positions = torch.arange(length, dtype=torch.float32)
        angles = positions.unsqueeze(-1) * self.inv_freq.float()
        doubled = torch.cat([angles, angles], dim=-1)
        cos, sin = doubled.cos().to(x.dtype), doubled.sin().to(x.dtype)
        causal_mask = torch.full((length, length), float("-inf")).triu(1).to(x.dtype)
        for layer in self.layers:
            x = layer(x, cos, sin, causal_mask)
        return self.lm_head(self.norm(x))


def masked_cross_entropy(logits, targets, mask):
    """Mean of -log softmax(logits)[target] over the counted tokens, as DistillationLosses.CrossEntropy."""
    per_token = F.cross_entropy(logits.float().flatten(0, 1), targets.flatten(), reduction="none").view_as(targets)
    kept = torch.where(mask, per_token, torch.zeros_like(per_token))
    return kept.sum() / mask.sum().clamp_min(1)


def blas_library():
    """The BLAS shared object this process actually mapped (torch 1.13 on Debian calls the system libblas.so.3)."""
    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps if "blas" in line.lower() and "/" in line}
    return ",".join(sorted(paths)) or "none"


def main():
    parser = argparse.ArgumentParser()
    for name, default in [("vocab", 8192), ("hidden", 256), ("intermediate", 688), ("layers", 4), ("heads", 8),
                          ("kv-heads", 4), ("seq", 256), ("batch", 8), ("warmup", 2), ("steps", 8), ("threads", 2), ("seed", 1)]:
        parser.add_argument(f"--{name}", type=int, default=default)
    parser.add_argument("--eps", type=float, default=1e-6)
    parser.add_argument("--rope-theta", type=float, default=10000.0)
    parser.add_argument("--lr", type=float, default=3e-4)
    parser.add_argument("--weight-decay", type=float, default=0.1)
    a = parser.parse_args()

    blas = blas_library()
    if "openblas" not in blas:
        # With Debian's reference BLAS torch trains about 17x slower: such a baseline would mean nothing.
        raise SystemExit(f"torch is not using OpenBLAS (mapped: {blas}); install libopenblas0-pthread.")

    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    model = LlamaForCausalLM(a)
    model.train()
    # Distill's AdamW decays matrices only (norm weights are not shrunk): the same split here.
    matrices = [p for p in model.parameters() if p.dim() >= 2]
    vectors = [p for p in model.parameters() if p.dim() < 2]
    optimizer = torch.optim.AdamW([{"params": matrices, "weight_decay": a.weight_decay}, {"params": vectors, "weight_decay": 0.0}],
                                  lr=a.lr, betas=(0.9, 0.95), eps=1e-8)
    tokens = torch.randint(0, a.vocab, (a.batch, a.seq + 1))
    input_ids, targets = tokens[:, :-1].contiguous(), tokens[:, 1:].contiguous()
    mask = torch.ones(a.batch, a.seq, dtype=torch.bool)

    phases = ["forward", "loss", "backward", "optimizer"]
    timings, losses = [], []
    timed_start = cpu_start = None
    for step in range(a.warmup + a.steps):
        if step == a.warmup:
            timed_start, cpu_start = time.perf_counter(), time.process_time()
        laps = [time.perf_counter()]
        logits = model(input_ids)
        laps.append(time.perf_counter())
        loss = masked_cross_entropy(logits, targets, mask)
        laps.append(time.perf_counter())
        loss.backward()
        laps.append(time.perf_counter())
        optimizer.step()
        optimizer.zero_grad()
        losses.append(loss.item())
        laps.append(time.perf_counter())
        if step >= a.warmup:
            timings.append([(end - begin) * 1000 for begin, end in zip(laps, laps[1:])])
    elapsed = time.perf_counter() - timed_start
    # The share of the cores this process got: near 1 on an idle machine, lower when other processes ran.
    cpu_share = (time.process_time() - cpu_start) / (elapsed * a.threads)

    # Medians per phase: a burst of load elsewhere moves them less than means.
    medians = [sorted(t[i] for t in timings)[len(timings) // 2] for i in range(len(phases))]
    print(f"torch={torch.__version__}, {torch.get_num_threads()} threads")
    print(f"blas={blas}")
    print("phases=median " + ", ".join(f"{name} {ms:.0f}" for name, ms in zip(phases, medians)) + " ms")
    print("step_ms=" + " ".join(f"{sum(t):.0f}" for t in timings))
    print(f"params={sum(p.numel() for p in model.parameters())}")
    print(f"embedding_params={model.embed_tokens.weight.numel()}")
    print(f"final_loss={losses[-1]:.5f}")
    print(f"cpu_share={cpu_share:.2f}")
    print(f"tokens_per_s={a.steps * a.batch * a.seq / elapsed:.1f}")


if __name__ == "__main__":
    main()
