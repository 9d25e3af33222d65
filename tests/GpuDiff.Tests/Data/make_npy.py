# NumPy's own .npy files, committed so the tests can compare GpuDiff's reader and writer with
# them without NumPy on CI. Run with Debian's python3-numpy (1.24): /usr/bin/python3 make_npy.py
import numpy as np

# What `gpudiff jacobian --out r.npy` writes for two points: named float64 fields.
records = np.array([(2.0, 3.0, 7.0, -0.0, 5e-324), (-1.5, 1e300, float("nan"), float("inf"), 0.1)],
                   dtype=[("x", "<f8"), ("y", "<f8"), ("f1", "<f8"), ("df1/dx", "<f8"), ("d2f1/dxdy", "<f8")])
np.save("records.npy", records)

# A points file as users save one: float64 [points, inputs], C order.
np.save("points.npy", np.array([[0.5, -2.0], [1e-310, 3.25], [7.0, 0.1]], dtype="<f8"))
