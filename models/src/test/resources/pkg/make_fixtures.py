# Writes the test tensors of the v04 and v05 fixture packages. Run from this folder with:
#   /usr/bin/python3 make_fixtures.py      (numpy 1.24)
import numpy as np

r = np.random.default_rng(0)
np.save("v04/test_input.npy", r.random((1, 1, 16, 16), dtype=np.float32))
np.save("v04/test_output_probs.npy", r.random((1, 3, 8, 5), dtype=np.float32))
np.save("v04/test_output_classes.npy", r.random((1, 3, 10), dtype=np.float32))
np.save("v05/raw.npy", r.random((1, 1, 32, 32), dtype=np.float32))
np.save("v05/mask.npy", (r.random((1, 32, 34)) > 0.5).astype(np.uint8))
np.save("v05/probs.npy", r.random((1, 2, 64, 28), dtype=np.float32))
np.save("v05/counts.npy", np.arange(5, dtype=np.int64).reshape(1, 5))
