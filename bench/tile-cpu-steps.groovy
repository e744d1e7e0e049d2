// CPU steps around the engine in tiled segmentation (issue 18, item 3), timed alone: the whole
// image's percentiles and NaN count on 4096 x 4096 (once per image) and the fitted normalization
// of one 1160 x 1160 tile (once per tile of 1024 + halo). Medians of repeated runs:
//   ./fovea script bench/tile-cpu-steps.groovy
import org.fovea.ops.stats.PlaneStatistics
import org.fovea.ops.tiling.PlaneSource
import org.fovea.ops.net.Tensor
import org.fovea.ops.net.Axes
int n = 4096
float[] data = new float[n * n]
def r = new Random(1)
for (int i = 0; i < data.length; i++) data[i] = (float) (r.nextGaussian() * 100 + 500)
def src = new PlaneSource() {
  long height() { n }
  long width() { n }
  int channels() { 1 }
  void read(long y0, long x0, int h, int w, float[] dst) {
    for (int y = 0; y < h; y++) System.arraycopy(data, (int) ((y0 + y) * n + x0), dst, y * w, w)
  }
}
def t = []
for (k in 0..6) {
  long t0 = System.nanoTime()
  def p = PlaneStatistics.percentiles(src, -1, 1.0d, 99.8d)
  t << (System.nanoTime() - t0) / 1e6
}
t.sort()
println "percentiles 4096^2: median ms " + t[3]
t = []
for (k in 0..6) {
  long t0 = System.nanoTime()
  def c = PlaneStatistics.nans(src)
  t << (System.nanoTime() - t0) / 1e6
}
t.sort()
println "nans 4096^2: median ms " + t[3]

def cls = Class.forName("org.fovea.models.pkg.Fitting\$FittedAffine")
def ctor = cls.getDeclaredConstructors()[0]
ctor.setAccessible(true)
def step = ctor.newInstance("scale_range", [12.5d] as double[], [987.25d] as double[])
int m = 1160
float[] d = new float[m * m]
r = new Random(1)
for (int i = 0; i < d.length; i++) d[i] = (float) (r.nextGaussian() * 100 + 500)
t = []
for (k in 0..40) {
  def x = new Tensor(Axes.of("bcyx"), [1L, 1L, (long) m, (long) m] as long[], d.clone())
  long t0 = System.nanoTime()
  step.apply(x)
  t << (System.nanoTime() - t0) / 1e6
}
t.sort()
println String.format("FittedAffine.apply on %d^2: median %.2f ms (%.2f ns/value)", m, t[20], t[20] * 1e6 / (m * m))
