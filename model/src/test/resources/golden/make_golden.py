"""Golden values for LlamaGoldenTest, from PyTorch: an HF-Llama forward and backward written here from the
transformers modeling equations (RMSNorm, rotate-half RoPE, grouped-query causal attention, SwiGLU), reading the
checked-in model directory tiny-llama/ (written by Seedling) with a plain safetensors parser.

    /usr/bin/python3 make_golden.py            # rewrites golden.json beside this file

Needs only PyTorch (Debian: apt-get install python3-torch). Computed in float64 so that the Java side (float32)
is compared against a reference whose own rounding is negligible; the test states its tolerance.
"""
import json, math, os, struct
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
MODEL = os.path.join(HERE, "tiny-llama")


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        assert info["dtype"] == "F32", info
        b, e = info["data_offsets"]
        t = torch.frombuffer(bytearray(data[b:e]), dtype=torch.float32).reshape(info["shape"])
        out[name] = t.to(torch.float64).clone().requires_grad_(True)
    return out


def rms_norm(x, w, eps):
    return w * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps))


def rotate_half(x):
    h = x.shape[-1] // 2
    return torch.cat((-x[..., h:], x[..., :h]), -1)


def forward(W, cfg, tokens):
    B, T = tokens.shape
    C, H, KV = cfg["hidden_size"], cfg["num_attention_heads"], cfg["num_key_value_heads"]
    D = cfg.get("head_dim") or C // H
    eps, theta = cfg["rms_norm_eps"], cfg["rope_theta"]
    inv = 1.0 / (theta ** (torch.arange(0, D, 2, dtype=torch.float64) / D))
    ang = torch.outer(torch.arange(T, dtype=torch.float64), inv)
    ang = torch.cat((ang, ang), -1)
    cos, sin = ang.cos()[None, None], ang.sin()[None, None]
    x = W["model.embed_tokens.weight"][tokens]
    mask = torch.ones(T, T, dtype=torch.bool).triu(1)
    for l in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{l}."
        h = rms_norm(x, W[p + "input_layernorm.weight"], eps)
        q = (h @ W[p + "self_attn.q_proj.weight"].T).view(B, T, H, D).transpose(1, 2)
        k = (h @ W[p + "self_attn.k_proj.weight"].T).view(B, T, KV, D).transpose(1, 2)
        v = (h @ W[p + "self_attn.v_proj.weight"].T).view(B, T, KV, D).transpose(1, 2)
        q, k = q * cos + rotate_half(q) * sin, k * cos + rotate_half(k) * sin
        k, v = k.repeat_interleave(H // KV, 1), v.repeat_interleave(H // KV, 1)
        att = (q @ k.transpose(-2, -1)) / math.sqrt(D)
        att = att.masked_fill(mask, float("-inf")).softmax(-1)
        a = (att @ v).transpose(1, 2).reshape(B, T, H * D)
        x = x + a @ W[p + "self_attn.o_proj.weight"].T
        h = rms_norm(x, W[p + "post_attention_layernorm.weight"], eps)
        g, u = h @ W[p + "mlp.gate_proj.weight"].T, h @ W[p + "mlp.up_proj.weight"].T
        x = x + (torch.nn.functional.silu(g) * u) @ W[p + "mlp.down_proj.weight"].T
    head = W["model.embed_tokens.weight"] if cfg.get("tie_word_embeddings") else W["lm_head.weight"]
    return rms_norm(x, W["model.norm.weight"], eps) @ head.T


def main():
    cfg = json.load(open(os.path.join(MODEL, "config.json")))
    W = read_safetensors(os.path.join(MODEL, "model.safetensors"))
    V = cfg["vocab_size"]
    g = torch.Generator().manual_seed(1234)
    tokens = torch.randint(0, V, (2, 7), generator=g)
    targets = torch.randint(0, V, (2, 7), generator=g)
    logits = forward(W, cfg, tokens)
    loss = torch.nn.functional.cross_entropy(logits.view(-1, V), targets.view(-1))
    loss.backward()
    golden = {
        "source": "make_golden.py (PyTorch %s, float64)" % torch.__version__,
        "tokens": tokens.tolist(), "targets": targets.tolist(),
        "logits": [round(v, 9) for v in logits.detach().reshape(-1).tolist()],
        "loss": loss.item(),
        "grads": {name: [round(v, 10) for v in t.grad.reshape(-1).tolist()] for name, t in sorted(W.items())},
    }
    with open(os.path.join(HERE, "golden.json"), "w") as f:
        json.dump(golden, f, separators=(",", ":"))
        f.write("\n")
    print("wrote golden.json: loss %.6f" % loss.item())


if __name__ == "__main__":
    main()
