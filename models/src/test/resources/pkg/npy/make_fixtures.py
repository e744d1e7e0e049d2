# Writes the .npy fixtures of NpyTest. Run from this folder with:
#   /usr/bin/python3 make_fixtures.py      (numpy 1.24)
import numpy as np

np.save("f4_le.npy", (np.arange(6, dtype="<f4").reshape(2, 3) * 0.5 - 1))
np.save("f8_be.npy", np.array([[1.5, -2.25], [3.0, 1e10]], dtype=">f8"))
np.save("u1.npy", np.array([0, 1, 255], dtype="u1"))
np.save("u2_be.npy", np.array([0, 65535, 1234], dtype=">u2"))
np.save("i2.npy", np.array([-32768, 0, 32767], dtype="<i2"))
np.save("i4_be.npy", np.array([-2147483648, 7, 2147483647], dtype=">i4"))
np.save("i8.npy", np.array([-5, 2**40, 3], dtype="<i8"))
np.save("f2.npy", np.array([0.5, -2, 65504], dtype="<f2"))
np.save("b1.npy", np.array([True, False, True]))
with open("v2.npy", "wb") as f:
    np.lib.format.write_array(f, np.array([[[1, 2], [3, 4]]], dtype="<f4"), version=(2, 0))
with open("v3.npy", "wb") as f:
    np.lib.format.write_array(f, np.array([[[1, 2], [3, 4]]], dtype="<f4"), version=(3, 0))
np.save("fortran.npy", np.asfortranarray(np.arange(6, dtype="<f4").reshape(2, 3)))
