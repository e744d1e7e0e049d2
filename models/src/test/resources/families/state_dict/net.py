# the architecture of weights.pt (make_families.py, family 'param')
from torch import nn


def Net():
    return nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(),
        nn.Conv2d(8, 8, 3, dilation=2, padding=2), nn.ReLU(), nn.Conv2d(8, 2, 1))
