// Several tiles in one engine call, or one call per tile? (issue 18, item 3: "where an engine
// accepts a batch, several tiles go in one call when that is faster"). ONNX Runtime with Fovea's
// session settings, nuclei-dilated (halo 34), tiles of T + 2 x 34 pixels, 4 tiles as 4 calls of
// batch 1 and as 1 call of batch 4, median of 5 each, 3 interleaved rounds, best round:
//   ./fovea script bench/tile-batch.groovy
import ai.onnxruntime.*
import java.nio.FloatBuffer
def env = OrtEnvironment.getEnvironment()
def o = new OrtSession.SessionOptions()
o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT)
o.setIntraOpNumThreads(Runtime.getRuntime().availableProcessors())
def s = env.createSession("models/zoo/nuclei-dilated/weights.onnx", o)
def inName = s.getInputNames().iterator().next()
def r = new Random(1)
for (int core : [128, 256, 512]) {
  int side = core + 2 * 34
  int n = 4
  float[] x = new float[n * side * side]
  for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian()
  def one = (0..<n).collect { k ->
    OnnxTensor.createTensor(env, FloatBuffer.wrap(x, k * side * side, side * side),
        [1L, 1L, (long) side, (long) side] as long[])
  }
  def all = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), [(long) n, 1L, (long) side, (long) side] as long[])
  def singles = { one.each { t -> s.run([(inName): t]).close() } }
  def batched = { s.run([(inName): all]).close() }
  singles(); batched()
  def best = [Double.MAX_VALUE, Double.MAX_VALUE]
  for (round in 0..2) {
    [singles, batched].eachWithIndex { f, i ->
      def ms = []
      for (k in 0..4) {
        long t0 = System.nanoTime()
        f()
        ms << (System.nanoTime() - t0) / 1e6
      }
      ms.sort()
      best[i] = Math.min(best[i], ms[2])
    }
  }
  println String.format("tiles of %4d px (core %3d): 4 calls of 1 tile %8.1f ms, 1 call of 4 tiles %8.1f ms (%.3f of the 4 calls)",
      side, core, best[0], best[1], best[1] / best[0])
  one.each { it.close() }; all.close()
}
s.close()
