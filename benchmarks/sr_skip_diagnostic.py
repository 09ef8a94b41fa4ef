"""Why do the classic SR networks train slowly here? 1,500 Adam steps at ×3 (batch 32 of
48×48 HR patches from T91 + BSD200, L1, constant learning rate), then Set5 ×3 Y-PSNR, for:
plain ESPCN, ESPCN plus a nearest-neighbour skip from the input, and a two-block EDSR-style
network with that skip.

    python benchmarks/sr_skip_diagnostic.py plain 1500 1e-3
    python benchmarks/sr_skip_diagnostic.py anchor 1500 1e-3
    python benchmarks/sr_skip_diagnostic.py edsr_small 1500 1e-3
"""
import sys, time, torch
from darkroom.train.recipe import Recipe, build_degradation
from darkroom.io import data_root
from darkroom.train.data import PairedPatches, load_folder_images
from darkroom.nets import ESPCN, EDSR
from darkroom.engine import ModelSpec, Restorer
from darkroom.benchmark import run_benchmark
from darkroom.tasks import UPSCALE
torch.set_num_threads(1)
variant, steps, lr = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
r = Recipe.from_toml("recipes/espcn_x3.toml")
imgs = load_folder_images([data_root()/f for f in r.train], 3)
ds = PairedPatches(imgs, build_degradation(r.degradation), patch=48, seed=0, condition=None)
torch.manual_seed(0)
if variant == "edsr_small":
    net = EDSR(scale=3, features=32, blocks=2)
else:
    net = ESPCN(scale=3)
class Anchor(torch.nn.Module):
    def __init__(s, n): super().__init__(); s.n = n
    def forward(s, x): return s.n(x) + torch.repeat_interleave(torch.repeat_interleave(x, 3, -2), 3, -1)
model = Anchor(net) if variant == "anchor" else net
opt = torch.optim.Adam(model.parameters(), lr)
t=time.time()
for step in range(steps):
    items=[ds[step*32+j] for j in range(32)]
    d,c,_=[torch.stack(x) for x in zip(*items)]
    loss=(model(d)-c).abs().mean(); opt.zero_grad(); loss.backward(); opt.step()
model.eval()
rr = Restorer(model, ModelSpec("upscale", 3, 3, scale=3, receptive_radius=8, tile=0))
print(variant, steps, lr, "Set5 x3", run_benchmark(UPSCALE, "../shared/data/Set5", "x", rr, setting=3).mean_psnr, time.time()-t)
