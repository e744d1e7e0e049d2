// Time spent around the engine in a tiled segmentation to a TIFF (issue 18, item 3): the engine's
// own calls timed inside the same segmentation, the rest is reading, statistics, normalization,
// stitching and the TIFF write. nuclei-dilated on ONNX Runtime, the `fovea bench tiling` image
// (4096 x 4096, 16-bit), tile 1024, one tile after another; 5 runs after a warm-up:
//   ./fovea script bench/around-engine.groovy [size=4096] [runs=5]
#@ Integer (value=4096) size
#@ Integer (value=5) runs
import org.fovea.models.Model
import org.fovea.models.Zoo
import org.fovea.io.ImageFiles
import org.fovea.ops.net.ForwardingNetwork
import org.fovea.ops.net.Tensor
System.setProperty("fovea.pipeline", "1")
def loaded = Model.load(Zoo.resolve("nuclei-dilated"), "onnx", null)
long[] engine = [0L]
def calls = [] // start and end of each engine call
def timed = new ForwardingNetwork(loaded.network()) {
  Map<String, Tensor> predict(Map<String, Tensor> in) {
    long t0 = System.nanoTime()
    def r = super.predict(in)
    long t1 = System.nanoTime()
    engine[0] += t1 - t0
    calls << [t0, t1]
    return r
  }
  void close() {}
}
def m = Model.of(loaded.pkg(), timed, loaded.format(), false)
def r = new Random(42)
short[] px = new short[size * size]
for (int i = 0; i < px.length; i++) {
  px[i] = (short) (200 + 40 * r.nextGaussian() + ((i.intdiv(size).intdiv(64) + (i % size).intdiv(64)) % 3) * 300)
}
def imp = new ij.ImagePlus("bench", new ij.process.ShortProcessor(size, size, px, null))
def dest = java.nio.file.Files.createTempDirectory("fovea-around").resolve("out.tif")
def outside = []
for (k in 0..runs) {
  engine[0] = 0
  calls.clear()
  java.nio.file.Files.deleteIfExists(dest) // a new file each time: replacing a 200 MB file frees its blocks inside the rename
  Thread.sleep(200)
  long t0 = System.nanoTime()
  ImageFiles.segmentToTiff(m, imp, 1024, null, dest)
  long t1 = System.nanoTime()
  double total = (t1 - t0) / 1e9
  // before the first call (statistics, first tile), between calls, after the last (commit)
  double before = (calls[0][0] - t0) / 1e6
  double between = 0
  for (int i = 1; i < calls.size(); i++) between += (calls[i][0] - calls[i - 1][1]) / 1e6
  double after = (t1 - calls[-1][1]) / 1e6
  println String.format(Locale.ROOT, "  before the first engine call %.0f ms, between calls %.0f ms (%d gaps), after the last %.0f ms",
      before, between, calls.size() - 1, after)
  double e = engine[0] / 1e9
  if (k > 0) outside << (total - e)
  println String.format(Locale.ROOT, "run %d: total %.3f s, engine %.3f s, outside the engine %.3f s (%.3f of the engine)%s",
      k, total, e, total - e, total / e, k == 0 ? " (warm-up)" : "")
}
outside.sort()
println String.format(Locale.ROOT, "outside the engine, median of %d: %.3f s", runs, outside[outside.size().intdiv(2)])
java.nio.file.Files.deleteIfExists(dest)
java.nio.file.Files.deleteIfExists(dest.parent)
