#!/usr/bin/python3
"""Reference forward pass of a Hugging Face Llama-family checkpoint (llama, mistral, qwen2, phi3), written from
the published transformers semantics with plain PyTorch ops (no transformers, no scaled_dot_product_attention),
to check Distill's TorchSharp model against an independent implementation.

usage: llama_reference.py CHECKPOINT_DIR TOKENS_JSON OUT_FILE
  TOKENS_JSON: [[id, ...], ...] (one row per sequence, equal lengths)
  OUT_FILE:    float32 little-endian logits, shape [batch, seq, vocab]
"""
import json, math, struct, sys
import numpy as np
import torch

DTYPES = {"F32": (np.float32, 4), "F16": (np.float16, 2), "BF16": (np.uint16, 2), "I64": (np.int64, 8)}


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (header_len,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + header_len])
    base = 8 + header_len
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        np_dtype, _ = DTYPES[info["dtype"]]
        array = np.frombuffer(data[base + begin:base + end], dtype=np_dtype).reshape(info["shape"])
        if info["dtype"] == "BF16":
            # bf16 is the top half of a float32
            array = (array.astype(np.uint32) << 16).view(np.float32)
        tensors[name] = torch.from_numpy(array.astype(np.float32).copy())
    return tensors


def read_checkpoint(directory):
    import os
    index = os.path.join(directory, "model.safetensors.index.json")
    if os.path.exists(index):
        tensors = {}
        for shard in sorted(set(json.load(open(index))["weight_map"].values())):
            tensors.update(read_safetensors(os.path.join(directory, shard)))
        return tensors
    return read_safetensors(os.path.join(directory, "model.safetensors"))


def inverse_frequencies(config, head_dim):
    theta = config.get("rope_theta", 10000.0)
    inv = 1.0 / (theta ** (torch.arange(0, head_dim, 2, dtype=torch.float64) / head_dim))
    scaling = config.get("rope_scaling")
    if scaling and scaling.get("rope_type", scaling.get("type")) == "llama3":
        factor, low, high = scaling["factor"], scaling["low_freq_factor"], scaling["high_freq_factor"]
        old = scaling["original_max_position_embeddings"]
        wavelen = 2 * math.pi / inv
        scaled = torch.where(wavelen > old / low, inv / factor, inv)
        smooth = (old / wavelen - low) / (high - low)
        smoothed = (1 - smooth) * scaled / factor + smooth * scaled
        medium = ~(wavelen < old / high) & ~(wavelen > old / low)
        inv = torch.where(medium, smoothed, scaled)
    return inv.float()


def rms_norm(x, weight, eps):
    variance = x.pow(2).mean(-1, keepdim=True)
    return weight * (x * torch.rsqrt(variance + eps))


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


def forward(config, w, ids):
    model_type = config["model_type"]
    hidden = config["hidden_size"]
    heads = config["num_attention_heads"]
    kv_heads = config.get("num_key_value_heads", heads)
    head_dim = config.get("head_dim", hidden // heads)
    eps = config.get("rms_norm_eps", 1e-6)
    batch, seq = ids.shape

    x = w["model.embed_tokens.weight"][ids]
    positions = torch.arange(seq, dtype=torch.float32)
    freqs = torch.outer(positions, inverse_frequencies(config, head_dim))
    emb = torch.cat((freqs, freqs), dim=-1)
    cos, sin = emb.cos()[None, None], emb.sin()[None, None]
    causal = torch.full((seq, seq), float("-inf")).triu(1)

    for i in range(config["num_hidden_layers"]):
        p = f"model.layers.{i}."
        h = rms_norm(x, w[p + "input_layernorm.weight"], eps)
        if model_type == "phi3":
            qkv = h @ w[p + "self_attn.qkv_proj.weight"].T
            q, k, v = qkv.split([heads * head_dim, kv_heads * head_dim, kv_heads * head_dim], dim=-1)
        else:
            def proj(name):
                out = h @ w[p + f"self_attn.{name}.weight"].T
                bias = w.get(p + f"self_attn.{name}.bias")
                return out if bias is None else out + bias
            q, k, v = proj("q_proj"), proj("k_proj"), proj("v_proj")
        q = q.view(batch, seq, heads, head_dim).transpose(1, 2)
        k = k.view(batch, seq, kv_heads, head_dim).transpose(1, 2)
        v = v.view(batch, seq, kv_heads, head_dim).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        # repeat_kv: each kv head serves heads // kv_heads consecutive query heads
        rep = heads // kv_heads
        k = k[:, :, None].expand(batch, kv_heads, rep, seq, head_dim).reshape(batch, heads, seq, head_dim)
        v = v[:, :, None].expand(batch, kv_heads, rep, seq, head_dim).reshape(batch, heads, seq, head_dim)
        scores = q @ k.transpose(-1, -2) / math.sqrt(head_dim) + causal
        attn = torch.softmax(scores, dim=-1) @ v
        attn = attn.transpose(1, 2).reshape(batch, seq, heads * head_dim)
        out = attn @ w[p + "self_attn.o_proj.weight"].T
        out_bias = w.get(p + "self_attn.o_proj.bias")
        x = x + (out if out_bias is None else out + out_bias)

        h = rms_norm(x, w[p + "post_attention_layernorm.weight"], eps)
        if model_type == "phi3":
            gate, up = (h @ w[p + "mlp.gate_up_proj.weight"].T).chunk(2, dim=-1)
        else:
            gate, up = h @ w[p + "mlp.gate_proj.weight"].T, h @ w[p + "mlp.up_proj.weight"].T
        x = x + (torch.nn.functional.silu(gate) * up) @ w[p + "mlp.down_proj.weight"].T

    x = rms_norm(x, w["model.norm.weight"], eps)
    head = w["model.embed_tokens.weight"] if config.get("tie_word_embeddings", False) else w["lm_head.weight"]
    return x @ head.T


def main():
    directory, tokens_json, out_file = sys.argv[1:4]
    torch.set_grad_enabled(False)
    config = json.load(open(f"{directory}/config.json"))
    weights = read_checkpoint(directory)
    ids = torch.tensor(json.loads(open(tokens_json).read()), dtype=torch.long)
    logits = forward(config, weights, ids).contiguous().float().numpy()
    logits.astype("<f4").tofile(out_file)


if __name__ == "__main__":
    main()
