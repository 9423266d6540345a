"""Why this exists: trains the English sentiment BiLSTM (ingest/enrichment/text/lstm.ts has the why) for
`npm run train:text`, which runs it with Debian's PyTorch (apt-get install python3-torch) and
hands it everything already tokenised: word ids into the vocabulary it shares with the
deep-averaging network, that vocabulary's pretrained vectors (fine-tuned here, then stored as
int8), labels, and the dev set used to pick the epoch. Training a recurrent network needs
back-propagation through time; PyTorch is the well-kept library for that, and scoring stays in
TypeScript. Nothing here runs at ingest.

usage: python3 scripts/train-text-lstm.py IN.json OUT_BASE
  IN.json:  {"dim", "vectors": [V*dim floats], "hidden", "epochs", "seed",
             "train": [[ids, label], ...], "dev": [[ids, label], ...], "reference": [ids, ...]}
  writes OUT_BASE.bin (layout in ingest/enrichment/text/lstm.ts) and OUT_BASE.train.json
  ({"epoch", "devAccuracy", "reference": [logits with the stored int8 vectors]}).
"""
import copy
import json
import random
import sys

import numpy as np
import torch
from torch import nn


def main() -> None:
    src, out = sys.argv[1], sys.argv[2]
    spec = json.load(open(src))
    torch.set_num_threads(int(spec.get("threads", 2)))
    torch.use_deterministic_algorithms(True)
    seed = int(spec["seed"])
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    dim, hidden = int(spec["dim"]), int(spec["hidden"])
    vectors = torch.tensor(spec["vectors"], dtype=torch.float32).view(-1, dim)
    # Row 0 is padding; word id i is row i + 1.
    table = torch.cat([torch.zeros(1, dim), vectors])

    class Net(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.emb = nn.Embedding.from_pretrained(table, freeze=False, padding_idx=0)
            self.rnn = nn.LSTM(dim, hidden, batch_first=True, bidirectional=True)
            self.drop = nn.Dropout(0.5)
            self.out = nn.Linear(4 * hidden, 1)

        def forward(self, x: torch.Tensor, lens: torch.Tensor) -> torch.Tensor:
            e = self.drop(self.emb(x))
            packed = nn.utils.rnn.pack_padded_sequence(e, lens, batch_first=True, enforce_sorted=False)
            o, _ = self.rnn(packed)
            o, _ = nn.utils.rnn.pad_packed_sequence(o, batch_first=True, padding_value=-1e4)
            mask = (torch.arange(o.shape[1])[None, :] < lens[:, None]).float().unsqueeze(-1)
            mean = (o * mask).sum(1) / lens[:, None].float()
            return self.out(self.drop(torch.cat([o.max(1).values, mean], 1))).squeeze(-1)

    def batch(rows: list) -> tuple:
        width = max(len(r) for r in rows)
        x = np.zeros((len(rows), width), dtype=np.int64)
        for i, r in enumerate(rows):
            x[i, : len(r)] = np.asarray(r) + 1
        return torch.from_numpy(x), torch.tensor([len(r) for r in rows])

    # Texts with no known word score 0 in TypeScript; they teach nothing here.
    train = [(ids, y) for ids, y in spec["train"] if ids]
    net = Net()
    # The vectors move slowly (they start out meaningful); the LSTM learns at the usual rate.
    opt = torch.optim.Adam(
        [
            {"params": [p for n, p in net.named_parameters() if not n.startswith("emb.")], "lr": 1e-3},
            {"params": net.emb.parameters(), "lr": 2e-4},
        ]
    )
    loss_fn = nn.BCEWithLogitsLoss()

    def score(rows: list) -> list:
        net.eval()
        z: list = []
        with torch.no_grad():
            for i in range(0, len(rows), 256):
                part = rows[i : i + 256]
                keep = [j for j, r in enumerate(part) if r]
                got = [0.0] * len(part)
                if keep:
                    x, lens = batch([part[j] for j in keep])
                    for j, v in zip(keep, net(x, lens).tolist()):
                        got[j] = v
                z += got
        net.train()
        return z

    dev_ids = [ids for ids, _ in spec["dev"]]
    dev_y = [y for _, y in spec["dev"]]
    best = {"devAccuracy": -1.0}
    for epoch in range(int(spec["epochs"])):
        random.shuffle(train)
        for i in range(0, len(train), 32):
            part = train[i : i + 32]
            x, lens = batch([r[0] for r in part])
            y = torch.tensor([float(r[1]) for r in part])
            opt.zero_grad()
            loss_fn(net(x, lens), y).backward()
            nn.utils.clip_grad_norm_(net.parameters(), 5)
            opt.step()
        dev = score(dev_ids)
        acc = sum((z >= 0) == (y == 1) for z, y in zip(dev, dev_y)) / len(dev_y)
        print(f"  lstm epoch {epoch + 1}: SST-2 dev {acc:.3f}", flush=True)
        if acc > best["devAccuracy"]:
            best = {"epoch": epoch + 1, "devAccuracy": acc, "state": copy.deepcopy(net.state_dict())}
    net.load_state_dict(best.pop("state"))
    scales, q = quantize(net.emb.weight.detach()[1:])
    with torch.no_grad():
        net.emb.weight[1:] = torch.from_numpy(q.astype(np.float32) * scales[:, None])
    best["reference"] = score(spec["reference"])
    write_weights(net, scales, q, out + ".bin")
    json.dump(best, open(out + ".train.json", "w"))


def quantize(vectors: torch.Tensor) -> tuple:
    """int8 per word with one float32 scale (max |x| / 127), as the other tables are stored."""
    v = vectors.numpy()
    scales = np.abs(v).max(1) / 127
    scales[scales == 0] = 1
    scales = scales.astype(np.float32)
    q = np.round(v / scales[:, None]).astype(np.int8)
    return scales, q


def write_weights(net: nn.Module, scales: np.ndarray, q: np.ndarray, path: str) -> None:
    rnn = net.rnn
    parts = []
    for suffix in ("", "_reverse"):
        parts += [
            getattr(rnn, "weight_ih_l0" + suffix),
            getattr(rnn, "weight_hh_l0" + suffix),
            getattr(rnn, "bias_ih_l0" + suffix) + getattr(rnn, "bias_hh_l0" + suffix),
        ]
    parts += [net.out.weight, net.out.bias]
    flat = torch.cat([p.detach().reshape(-1) for p in parts]).numpy().astype("<f4")
    with open(path, "wb") as f:
        f.write(flat.tobytes())
        f.write(scales.astype("<f4").tobytes())
        f.write(q.tobytes())


if __name__ == "__main__":
    main()
