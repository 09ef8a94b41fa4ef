"""The layout's promises, checked: tasks are records named only in their own module and the
table, importing darkroom builds no network, and every shipped weight file is in the zoo."""

import ast
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

from darkroom.tasks import TASKS, TaskName
from darkroom.zoo import list_models

SRC = Path(__file__).resolve().parent.parent / "src" / "darkroom"
TABLE = SRC / "tasks" / "__init__.py"


def task_name_literals(path: Path) -> list[tuple[int, str]]:
    """(line, name) of every string constant in ``path`` that is a task's name."""
    tree = ast.parse(path.read_text(), filename=str(path))
    exported = {id(n) for node in ast.walk(tree) if isinstance(node, ast.Assign)  # __all__ lists function names
                and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets) for n in ast.walk(node.value)}
    return [(node.lineno, node.value) for node in ast.walk(tree) if id(node) not in exported
            and isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in TASKS]


def test_no_task_name_literal_outside_its_task_module_and_the_table():
    found = []
    for path in sorted(SRC.rglob("*.py")):
        for line, name in task_name_literals(path):
            if path == TABLE or path == SRC / "tasks" / f"{name}.py":
                continue
            found.append(f"{path.relative_to(SRC)}:{line}: {name!r}")
    assert not found, "task names written outside their record (use the record, e.g. DENOISE.name):\n" + "\n".join(found)


def test_the_literal_check_catches_a_literal(tmp_path):
    # the check above must be able to fail: a module that branches on a task's name is caught
    bad = tmp_path / "bad.py"
    bad.write_text('def f(task):\n    return 1 if task == "upscale" else 2\n')
    assert task_name_literals(bad) == [(2, "upscale")]


def test_every_task_has_a_module_and_the_literal_type_matches_the_table():
    from typing import get_args

    assert set(get_args(TaskName)) == set(TASKS)
    for name in TASKS:
        assert (SRC / "tasks" / f"{name}.py").exists()


def test_importing_darkroom_builds_no_network():
    code = (
        "import torch.nn as nn\n"
        "built = []\n"
        "original = nn.Module.__init__\n"
        "def counting(self, *a, **k):\n"
        "    built.append(type(self).__name__)\n"
        "    original(self, *a, **k)\n"
        "nn.Module.__init__ = counting\n"
        "import darkroom, darkroom.zoo, darkroom.cli, darkroom.train, darkroom.benchmark, darkroom.recognize, darkroom.generate\n"
        "print(len(built), sorted(set(built))[:5])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.startswith("0 "), out


def test_every_shipped_weight_file_is_in_the_zoo():
    shipped = {p.name for p in (resources.files("darkroom.zoo") / "weights").iterdir() if p.name.endswith(".safetensors")}
    registered = {c.weights for c in list_models() if c.learned}
    assert shipped == registered


@pytest.mark.parametrize("task", [t for t in TASKS.values() if t.protocols], ids=lambda t: t.name)
def test_every_benchmarked_task_has_models_and_a_default(task):
    from darkroom.engine.run import choose_model

    assert list_models(task.name)
    request = task.request(2 if task.setting == "scale" else 25.0, True)
    for channels in (1, 3):
        assert choose_model(task, None, channels, request)
