// Times the nuclei-dilated-shaped graphs that bench/channel-width.sh writes, with the session
// settings Fovea uses (all optimizations, one intra-op thread per core): median of 5 runs per
// session, best of 3 rounds interleaved. GFLOP counts 2 multiply-adds per weight per output pixel.
#@ String dir
#@ String widths
import ai.onnxruntime.*
import java.nio.FloatBuffer
def env = OrtEnvironment.getEnvironment()
int n = 1024
float[] x = new float[n * n]
def r = new Random(1)
for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian()
def ws = widths.trim().split(/\s+/).collect { it as int }
def best = [:]
for (round in 0..2) {
  for (c in ws) {
    def o = new OrtSession.SessionOptions()
    o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT)
    o.setIntraOpNumThreads(Runtime.getRuntime().availableProcessors())
    def s = env.createSession("$dir/width${c}.onnx", o)
    def t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), [1L, 1L, (long) n, (long) n] as long[])
    s.run([x: t]).close()
    def ms = []
    for (k in 0..4) {
      long t0 = System.nanoTime()
      s.run([x: t]).close()
      ms << (System.nanoTime() - t0) / 1e6
    }
    ms.sort()
    best[c] = Math.min(best.getOrDefault(c, Double.MAX_VALUE), ms[2])
    t.close(); s.close()
  }
}
double gflop(int c, int pad) {
  int cp = pad > 0 ? ((c + pad - 1).intdiv(pad)) * pad : c
  // first layer 1 -> c, seven c -> c layers, one 1x1 c -> 3; per output pixel, 2 flops per weight
  return 2.0 * 1024 * 1024 * (9 * cp + 7 * 9 * cp * cp + 3 * cp) / 1e9
}
println String.format("%-6s %10s %10s %12s %18s %20s", "WIDTH", "GFLOP", "MS", "GFLOP/S",
    "PADDED TO 16 (GF)", "PADDED GFLOP/S")
for (c in ws) {
  double ms = best[c]
  println String.format("%-6d %10.2f %10.1f %12.1f %18.2f %20.1f", c, gflop(c, 0), ms,
      gflop(c, 0) / ms * 1e3, gflop(c, 16), gflop(c, 16) / ms * 1e3)
}
