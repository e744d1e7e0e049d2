"""The two demo networks. Both take one normalized channel (N,1,Y,X) and return
softmax probabilities for background, nucleus interior and nucleus boundary (N,3,Y,X)."""
import torch
from torch import nn


class DilatedNet(nn.Module):
    """Context aggregation with dilated 3x3 convolutions, total stride 1.

    Receptive field 1 + 2 * sum(dilations) = 69 px for dilations 1, 1, 2, 4, 8, 16, 1, 1: two
    full-detail layers on each side of the context module keep the boundaries sharp.
    Zero padding equal to the dilation keeps every layer the size of the input.
    """

    def __init__(self, width=24, dilations=(1, 1, 2, 4, 8, 16, 1, 1)):
        super().__init__()
        layers = []
        c = 1
        for d in dilations:
            layers += [nn.Conv2d(c, width, 3, padding=d, dilation=d), nn.ReLU()]
            c = width
        layers += [nn.Conv2d(c, 3, 1)]
        self.body = nn.Sequential(*layers)

    def forward(self, x):
        return torch.softmax(self.body(x), dim=1)


def _block(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.ReLU(),
                         nn.Conv2d(cout, cout, 3, padding=1), nn.ReLU())


class UNet(nn.Module):
    """A small U-Net with two 2x2 max-poolings (input size step 4) and nearest up-sampling."""

    def __init__(self, base=16):
        super().__init__()
        self.enc1 = _block(1, base)
        self.enc2 = _block(base, 2 * base)
        self.mid = _block(2 * base, 4 * base)
        self.pool = nn.MaxPool2d(2)
        self.up = nn.Upsample(scale_factor=2.0, mode="nearest")
        self.dec2 = _block(6 * base, 2 * base)
        self.dec1 = _block(3 * base, base)
        self.head = nn.Conv2d(base, 3, 1)

    def forward(self, x):
        e1 = self.enc1(x)
        e2 = self.enc2(self.pool(e1))
        m = self.mid(self.pool(e2))
        d2 = self.dec2(torch.cat([self.up(m), e2], dim=1))
        d1 = self.dec1(torch.cat([self.up(d2), e1], dim=1))
        return torch.softmax(self.head(d1), dim=1)


ARCHS = {"dilated": DilatedNet, "unet": UNet}


class StarNet(nn.Module):
    """A U-Net with three 2x2 max-poolings (input size step 8) for star-convex nuclei.

    Output (N,1+rays,Y,X): channel 0 is the object probability (sigmoid), channels 1.. the
    distances in pixels from the pixel to the object boundary along rays at angles 2*pi*k/rays
    (ReLU), k = 0.. rays-1, angle measured from the +x axis towards +y. Built only from Conv,
    ReLU, MaxPool, nearest Resize, Concat and Sigmoid, which every Fovea engine converts.
    """

    def __init__(self, rays=32, widths=(12, 24, 40, 48)):
        super().__init__()
        w1, w2, w3, wm = widths
        self.enc1 = _block(1, w1)
        self.enc2 = _block(w1, w2)
        self.enc3 = _block(w2, w3)
        self.mid = _block(w3, wm)
        self.pool = nn.MaxPool2d(2)
        self.up = nn.Upsample(scale_factor=2.0, mode="nearest")
        self.dec3 = _block(wm + w3, w3)
        self.dec2 = _block(w3 + w2, w2)
        self.dec1 = _block(w2 + w1, w1)
        self.head = nn.Conv2d(w1, 1, 1)
        self.head_dist = nn.Conv2d(w1, rays, 1)

    def forward(self, x):
        e1 = self.enc1(x)
        e2 = self.enc2(self.pool(e1))
        e3 = self.enc3(self.pool(e2))
        m = self.mid(self.pool(e3))
        d3 = self.dec3(torch.cat([self.up(m), e3], dim=1))
        d2 = self.dec2(torch.cat([self.up(d3), e2], dim=1))
        d1 = self.dec1(torch.cat([self.up(d2), e1], dim=1))
        return torch.cat([torch.sigmoid(self.head(d1)), torch.relu(self.head_dist(d1))], dim=1)




class StarGridNet(nn.Module):
    """A U-Net for star-convex nuclei shaped like StarDist 2D with grid (2, 2): three 2x2
    max-poolings (input size step 8), a decoder that stops at half resolution, then a 3x3
    convolution (StarDist's conv after the U-Net) and two 1x1 heads.

    Output (N,1+rays,Y/2,X/2): output (u, v) belongs to input pixel (2u, 2v) (Fovea's grid
    convention, as StarDist's); channel 0 is the object probability (sigmoid), channels 1.. the
    distances to the object boundary along rays at angles 2*pi*k/rays from +x towards +y, in units
    of ``unit`` pixels. The ray head is linear while training (no ReLU whose rays could die); the
    exported net clips it at 0 (``clip = True``: a ReLU), which Fovea does to the distances anyway.
    Built only from Conv, ReLU, MaxPool, nearest Resize, Concat and Sigmoid.
    """

    grid = 2

    def __init__(self, rays=32, widths=(32, 64, 96, 128), feat=128):
        super().__init__()
        w1, w2, w3, wm = widths
        self.enc1 = _block(1, w1)
        self.enc2 = _block(w1, w2)
        self.enc3 = _block(w2, w3)
        self.mid = _block(w3, wm)
        self.pool = nn.MaxPool2d(2)
        self.up = nn.Upsample(scale_factor=2.0, mode="nearest")
        self.dec3 = _block(wm + w3, w3)
        self.dec2 = _block(w3 + w2, w2)
        self.feat = nn.Sequential(nn.Conv2d(w2, feat, 3, padding=1), nn.ReLU())
        self.head = nn.Conv2d(feat, 1, 1)
        self.head_dist = nn.Conv2d(feat, rays, 1)
        self.clip = True

    def forward(self, x):
        e1 = self.enc1(x)
        e2 = self.enc2(self.pool(e1))
        e3 = self.enc3(self.pool(e2))
        m = self.mid(self.pool(e3))
        d3 = self.dec3(torch.cat([self.up(m), e3], dim=1))
        d2 = self.dec2(torch.cat([self.up(d3), e2], dim=1))
        f = self.feat(d2)
        dist = self.head_dist(f)
        if self.clip:
            dist = torch.relu(dist)
        return torch.cat([torch.sigmoid(self.head(f)), dist], dim=1)


ARCHS["star"] = StarGridNet  # the grid-1 StarNet above made the first nuclei-star (refit_star_head.py)


class StridedNet(nn.Module):
    """A fully convolutional net of total stride 8: three stride-2 3x3 convolutions among 3x3
    convolutions, then a 1x1 head; one output per 8 x 8 block, output u centred on input pixel 8u.

    With dense=True the same parameters run as the a trous form of the net (strides 1, each later
    layer's dilation and padding multiplied by the strides before it): one output per pixel, the
    output at pixel p equal to the strided net's output on the input shifted so that p lands on the
    grid. Training runs the dense form, so every pixel's label is used; export writes the strided
    form, which Fovea makes dense again on the user's machine.
    """

    LAYERS = ((1, 16, 1), (16, 24, 2), (24, 24, 1), (24, 32, 2), (32, 32, 1), (32, 48, 2),
              (48, 48, 1), (48, 48, 1))  # (in, out, stride)

    def __init__(self, dense=False):
        super().__init__()
        layers = []
        grid = 1
        for cin, cout, s in self.LAYERS:
            if dense:
                layers += [nn.Conv2d(cin, cout, 3, padding=grid, dilation=grid), nn.ReLU()]
                grid *= s
            else:
                layers += [nn.Conv2d(cin, cout, 3, stride=s, padding=1), nn.ReLU()]
        layers += [nn.Conv2d(48, 3, 1)]
        self.body = nn.Sequential(*layers)

    def forward(self, x):
        return torch.softmax(self.body(x), dim=1)


ARCHS["strided"] = StridedNet


class Dilated3DNet(nn.Module):
    """The dilated context-aggregation net in 3D, for stacks whose z step is about twice the x/y
    pixel size: 3x3x3 convolutions, total stride 1, dilations (z, y, x) larger across than along z.

    Input (N,1,Z,Y,X), output (N,3,Z,Y,X) softmax probabilities of background, nucleus interior and
    nucleus boundary. Receptive field 1 + 2 * sum(dilations) per axis: 15 slices in z and 35 px in
    y/x for the default dilations. Zero padding equal to the dilation keeps every layer the size of
    the input.
    """

    DILATIONS = ((1, 1, 1), (1, 1, 1), (1, 2, 2), (1, 4, 4), (2, 8, 8), (1, 1, 1))

    def __init__(self, width=16, dilations=DILATIONS):
        super().__init__()
        layers = []
        c = 1
        for d in dilations:
            layers += [nn.Conv3d(c, width, 3, padding=d, dilation=d), nn.ReLU()]
            c = width
        layers += [nn.Conv3d(c, 3, 1)]
        self.body = nn.Sequential(*layers)

    def forward(self, x):
        return torch.softmax(self.body(x), dim=1)


ARCHS["dilated3d"] = Dilated3DNet
