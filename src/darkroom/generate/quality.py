"""How good are generated digits? Two numbers computed with darkroom's own MNIST classifier:

- the Fréchet distance between classifier features of the samples and of real digits
  (``darkroom.metrics.frechet_distance``; an FID-like number, but on our classifier's
  128-d penultimate features, so not an FID), and
- class coverage: how the classifier labels the samples — how many of the 10 classes
  appear, the entropy of the label histogram (log 10 ≈ 2.303 is perfectly even), and
  the mean confidence (blurry or broken digits get low confidence).
"""

from __future__ import annotations

import math

import torch
from torch import Tensor

from darkroom.metrics import frechet_distance
from darkroom.recognize import Classifier


@torch.no_grad()
def classifier_features(c: Classifier, images: Tensor, batch: int = 500) -> tuple[Tensor, Tensor]:
    """(penultimate features, class probabilities) of (N, 1, 28, 28) digits in [0, 1]."""
    captured: list[Tensor] = []
    head_input = c.net.head[-1] if hasattr(c.net, "head") else c.net.classifier[-1]
    handle = head_input.register_forward_hook(lambda m, inputs, out: captured.append(inputs[0]))
    probs = []
    try:
        c.net.eval()
        for i in range(0, len(images), batch):
            probs.append(torch.softmax(c.net(c.normalize(images[i : i + batch])), 1))
    finally:
        handle.remove()
    return torch.cat(captured), torch.cat(probs)


def sample_quality(samples: Tensor, reference: Tensor, c: Classifier) -> dict:
    feats, probs = classifier_features(c, samples)
    ref_feats, _ = classifier_features(c, reference)
    counts = torch.bincount(probs.argmax(1), minlength=len(c.classes)).double()
    p = counts / counts.sum()
    entropy = float(-(p[p > 0] * p[p > 0].log()).sum())
    return {
        "frechet_distance": float(frechet_distance(feats, ref_feats)),
        "classes_present": int((counts > 0).sum()),
        "label_entropy": entropy,
        "label_entropy_max": math.log(len(c.classes)),
        "mean_confidence": float(probs.max(1).values.mean()),
        "label_histogram": counts.int().tolist(),
    }
