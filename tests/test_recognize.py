"""Recognition: survey 002's model, the MNIST results of the shipped classifiers, the
folder-to-classifier workflow with its errors, dataset readers, and visualisation."""

import pickle
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image
from torch import nn

from darkroom.errors import DarkroomError
from darkroom.io import LabeledArrays, read_cifar10, read_image_folder, read_mnist
from darkroom.nets import SmallResNet, SurveyCNN
from darkroom.recognize import evaluate, load_classifier, save_classifier, split, to_tensors
from darkroom.train import train_classifier
from darkroom.visualize import feature_maps, first_layer_filters, layer_objective, maximize_activation

WEIGHTS = Path(__file__).resolve().parent.parent / "src/darkroom/zoo/weights"


def test_survey_002_model_has_the_printed_parameter_count():
    net = SurveyCNN(channels=3, classes=10, size=32)
    assert sum(p.numel() for p in net.parameters()) == 1_250_858
    assert net(torch.rand(2, 3, 32, 32)).shape == (2, 10)


def mnist_test(data):
    d = read_mnist(data("MNIST"))
    return to_tensors(LabeledArrays(d.images[8000:], d.labels[8000:], d.classes))


def test_shipped_classifiers_reach_99_percent_on_the_test_digits(data):
    # measured: 99.30 % and 99.25 % (recipes/mnist_*.toml); the two differ by one digit of 2,000
    x, y = mnist_test(data)
    default = evaluate(load_classifier(WEIGHTS / "mnist_small_resnet.safetensors"), x, y)[1]
    survey = evaluate(load_classifier(WEIGHTS / "mnist_survey_cnn.safetensors"), x, y)[1]
    assert default >= 0.992, default
    assert survey >= 0.991, survey


def shapes_folder(root: Path, per_class: int = 24) -> Path:
    """Two classes a CNN can tell apart: horizontal vs vertical stripes with random phase and noise."""
    rng = np.random.default_rng(0)
    for name, axis in (("horizontal", 0), ("vertical", 1)):
        (root / name).mkdir(parents=True)
        for i in range(per_class):
            t = np.arange(40)[:, None] if axis == 0 else np.arange(40)[None, :]
            img = 127 + 90 * np.sin(t / 2.0 + rng.uniform(0, 6)) + rng.normal(0, 20, (40, 40))
            Image.fromarray(np.clip(img, 0, 255).astype(np.uint8)).convert("RGB").save(root / name / f"{i}.png")
    (root / "vertical" / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n garbage")
    return root


def test_folder_to_classifier_to_prediction(tmp_path, cli):
    shapes_folder(tmp_path / "data")
    model = tmp_path / "stripes.safetensors"
    code, out, err = cli("train-classifier", tmp_path / "data", "-o", model, "--epochs", "4", "--size", "32",
                         "--batch", "8", "--val", "0.25", "--augment", "none")
    assert code == 0, err
    assert "skipped 1 unreadable image" in err
    assert "validation accuracy" in out
    for suffix in (".curves.png", ".confusion.png", ".json"):
        assert (tmp_path / f"stripes{suffix}").exists()
    code, out, err = cli("classify", tmp_path / "data" / "horizontal" / "0.png", "--model", model, "--top", "2")
    assert code == 0 and "horizontal" in out.split("0.png")[1].split("\n")[0].split("vertical")[0], out


@pytest.mark.parametrize("layout, message", [
    ({}, "at least two classes"),
    ({"cats": 3}, "at least two classes"),
    ({"cats": 3, "dogs": 0}, "no readable images in class folder(s) dogs"),
])
def test_folder_errors_are_one_line(tmp_path, cli, layout, message):
    for name, count in layout.items():
        (tmp_path / name).mkdir()
        for i in range(count):
            Image.new("RGB", (8, 8), (i * 40, 0, 0)).save(tmp_path / name / f"{i}.png")
    code, _, err = cli("train-classifier", tmp_path, "-o", tmp_path / "m.safetensors")
    assert code == 1 and message in err and "Traceback" not in err
    assert len([line for line in err.splitlines() if line.startswith("error:")]) == 1


def test_a_class_with_one_image_cannot_be_split(tmp_path):
    d = LabeledArrays(np.zeros((3, 4, 4, 1), np.uint8), np.array([0, 0, 1]), ["a", "b"])
    with pytest.raises(DarkroomError, match="'b' has 1 image"):
        split(d, 0.2, seed=0)


def test_classifier_file_round_trips(tmp_path):
    d = LabeledArrays(np.random.default_rng(0).integers(0, 255, (20, 12, 12, 1), dtype=np.uint8),
                      np.arange(20) % 2, ["even", "odd"])
    c, history = train_classifier(d, d, tmp_path / "run", epochs=1, batch=10, progress=False, augmentation=None)
    save_classifier(tmp_path / "c.safetensors", c)
    back = load_classifier(tmp_path / "c.safetensors")
    x = torch.rand(3, 1, 12, 12)
    assert torch.equal(c.net(c.normalize(x)), back.net(back.normalize(x)))
    assert back.classes == ["even", "odd"] and len(history.val_accuracy) == 1
    (tmp_path / "bad.safetensors").write_bytes(b"not safetensors")
    with pytest.raises(DarkroomError, match="not a darkroom classifier"):
        load_classifier(tmp_path / "bad.safetensors")


def test_cifar_readers_binary_python_and_refusing_code(tmp_path):
    rng = np.random.default_rng(0)
    pixels = rng.integers(0, 255, (4, 3072), dtype=np.uint8)
    labels = [3, 1, 4, 1]
    raw = np.concatenate([np.array(labels, np.uint8)[:, None], pixels], 1)
    (tmp_path / "bin").mkdir()
    raw.tofile(tmp_path / "bin" / "data_batch_1.bin")
    b = read_cifar10(tmp_path / "bin")
    assert b.images.shape == (4, 32, 32, 3) and b.labels.tolist() == labels and b.classes[3] == "cat"
    assert np.array_equal(b.images[0, :, :, 0].ravel(), pixels[0, :1024])  # planar R, G, B as in the release
    (tmp_path / "py").mkdir()
    with open(tmp_path / "py" / "data_batch_1", "wb") as fh:
        pickle.dump({b"data": pixels, b"labels": labels}, fh)
    assert np.array_equal(read_cifar10(tmp_path / "py").images, b.images)

    class Evil:
        def __reduce__(self):
            return (print, ("pwned",))

    (tmp_path / "evil").mkdir()
    (tmp_path / "evil" / "data_batch_1").write_bytes(pickle.dumps({b"data": Evil(), b"labels": []}))
    with pytest.raises(DarkroomError, match="refusing to unpickle"):
        read_cifar10(tmp_path / "evil")


def test_photo_folder_reader_squares_and_counts(tmp_path):
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        Image.new("RGBA", (90, 30), (10, 20, 30, 128)).save(tmp_path / name / "x.png")
    d = read_image_folder(tmp_path, size=16, channels=3)
    assert d.images.shape == (2, 16, 16, 3) and d.classes == ["a", "b"] and d.skipped == 0


class TorchvisionStyle(nn.Module):
    """Named like torchvision's VGG: ``features`` then ``classifier``."""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(), nn.Conv2d(8, 16, 3, padding=1), nn.ReLU())
        self.classifier = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, 4))

    def forward(self, x):
        return self.classifier(self.features(x))


def test_visualization_on_ours_and_a_torchvision_style_model():
    for net in (SmallResNet(channels=3).eval(), TorchvisionStyle().eval()):
        filters = first_layer_filters(net)
        assert filters.shape[1] == 3 and filters.min() == 0 and filters.max() == 1
    maps = feature_maps(TorchvisionStyle().eval(), torch.rand(1, 3, 20, 20), "features.2")
    assert maps.shape == (16, 20, 20)
    with pytest.raises(DarkroomError, match="convolution layers are: features.0, features.2"):
        feature_maps(TorchvisionStyle(), torch.rand(1, 3, 8, 8), "features.9")


def test_activation_maximisation_raises_the_channel_it_targets():
    torch.manual_seed(0)
    net = TorchvisionStyle().eval()
    objective = layer_objective(net, "features.2", 5)  # a convolution: ReLU outputs can start dead
    start = 0.5 + 0.05 * torch.randn(1, 3, 32, 32, generator=torch.Generator().manual_seed(0))
    image = maximize_activation(net, "features.2", 5, size=32, steps=60, seed=0)
    with torch.no_grad():
        before, after = float(objective(start.clamp(0, 1))), float(objective(image))
        random_best = max(float(objective(torch.rand(1, 3, 32, 32))) for _ in range(20))
    assert after > before + 0.3 * abs(before) and after > random_best, (before, after, random_best)
    assert all(p.requires_grad for p in net.parameters())  # the model is left as it was
