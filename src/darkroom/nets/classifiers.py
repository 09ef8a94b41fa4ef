"""Image classifiers: the surveys' Keras CIFAR-10 CNN and a small residual network.

``SurveyCNN`` is layer for layer the model printed in survey 002 (the Keras CIFAR-10
example): Conv32-Conv32-Pool-Dropout, Conv64-Conv64-Pool-Dropout, Dense512-Dropout,
Dense10. Keras' first convolution of each pair is 'same', the second 'valid', which is
why a 32×32×3 input ends in 6×6×64 = 2304 features and 1,250,858 parameters.

``SmallResNet`` is the default: residual blocks with batch normalisation (He et al.,
"Deep Residual Learning for Image Recognition", CVPR 2016; Ioffe & Szegedy 2015) in
three stages, global average pooling, and a linear head — any input size.
"""

from __future__ import annotations

import torch.nn.functional as F
from torch import Tensor, nn

from darkroom.nets.family import Family


class SurveyCNN(nn.Module):
    def __init__(self, *, channels: int = 3, classes: int = 10, size: int = 32):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(channels, 32, 3, padding=1), nn.ReLU(), nn.Conv2d(32, 32, 3), nn.ReLU(),
            nn.MaxPool2d(2), nn.Dropout(0.25),
            nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.Conv2d(64, 64, 3), nn.ReLU(),
            nn.MaxPool2d(2), nn.Dropout(0.25),
        )
        side = ((size - 2) // 2 - 2) // 2
        self.classifier = nn.Sequential(
            nn.Flatten(), nn.Linear(64 * side * side, 512), nn.ReLU(), nn.Dropout(0.5), nn.Linear(512, classes),
        )

    def forward(self, x: Tensor) -> Tensor:
        return self.classifier(self.features(x))


class BasicBlock(nn.Module):
    def __init__(self, inputs: int, outputs: int, stride: int):
        super().__init__()
        self.conv1 = nn.Conv2d(inputs, outputs, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(outputs)
        self.conv2 = nn.Conv2d(outputs, outputs, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(outputs)
        self.shortcut = nn.Identity() if stride == 1 and inputs == outputs else nn.Sequential(
            nn.Conv2d(inputs, outputs, 1, stride, bias=False), nn.BatchNorm2d(outputs))

    def forward(self, x: Tensor) -> Tensor:
        out = F.relu(self.bn1(self.conv1(x)))
        return F.relu(self.bn2(self.conv2(out)) + self.shortcut(x))


class SmallResNet(nn.Module):
    def __init__(self, *, channels: int = 3, classes: int = 10, widths: tuple[int, ...] = (32, 64, 128),
                 blocks: int = 1, dropout: float = 0.0):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(channels, widths[0], 3, padding=1, bias=False), nn.BatchNorm2d(widths[0]), nn.ReLU())
        stages, inputs = [], widths[0]
        for i, width in enumerate(widths):
            for j in range(blocks):
                stages.append(BasicBlock(inputs, width, 2 if i > 0 and j == 0 else 1))
                inputs = width
        self.stages = nn.Sequential(*stages)
        self.head = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Dropout(dropout), nn.Linear(inputs, classes))

    def forward(self, x: Tensor) -> Tensor:
        return self.head(self.stages(self.stem(x)))


SURVEY_CNN_FAMILY = Family(
    "survey_cnn", SurveyCNN,
    paper="the Keras CIFAR-10 example network printed in survey 002",
    tiny={"channels": 1, "classes": 3, "size": 12},  # its layer widths are the survey's: only the input shrinks
)
SMALL_RESNET_FAMILY = Family(
    "small_resnet", SmallResNet,
    paper="He, Zhang, Ren, Sun, 'Deep Residual Learning for Image Recognition', CVPR 2016 (a small CIFAR-style variant)",
    tiny={"channels": 1, "classes": 3, "widths": (4, 8)},
)
