// ONNX Runtime session options on the CPU, measured side by side in one process (issue 18, item 2):
// each option alone against the settings Fovea uses (ALL optimizations, one intra-op thread per
// core), nuclei-dilated on a 1024 x 1024 input, median of 5 runs per session, best of 3 rounds
// interleaved so that a noisy machine hurts every option alike.
//   ./fovea script bench/ort-options.groovy
import ai.onnxruntime.*
import java.nio.FloatBuffer
def env = OrtEnvironment.getEnvironment()
def path = "models/zoo/nuclei-dilated/weights.onnx"
int n = 1024
float[] x = new float[n * n]
def r = new Random(1)
for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian()
def configs = [
  "default (ALL, 2 threads)": { o -> },
  "1 intra-op thread": { o -> o.setIntraOpNumThreads(1) },
  "no spinning": { o -> o.addConfigEntry("session.intra_op.allow_spinning", "0") },
  "EXTENDED opt": { o -> o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.EXTENDED_OPT) },
  "BASIC opt": { o -> o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.BASIC_OPT) },
  "no mem pattern": { o -> o.setMemoryPatternOptimization(false) },
  "no cpu arena": { o -> o.setCPUArenaAllocator(false) },
  "denormal as zero": { o -> o.addConfigEntry("session.set_denormal_as_zero", "1") },
]
def order = configs.keySet().toList()
def results = [:]
for (round in 0..2) {
  for (name in order) {
    def o = new OrtSession.SessionOptions()
    o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT)
    o.setIntraOpNumThreads(Runtime.getRuntime().availableProcessors())
    configs[name](o)
    def s = env.createSession(path, o)
    def inName = s.getInputNames().iterator().next()
    def t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), [1L, 1L, (long) n, (long) n] as long[])
    s.run([(inName): t]).close()
    def ms = []
    for (k in 0..4) {
      long t0 = System.nanoTime()
      s.run([(inName): t]).close()
      ms << (System.nanoTime() - t0) / 1e6
    }
    ms.sort()
    results.computeIfAbsent(name, { [] }) << ms[2]
    t.close(); s.close()
  }
}
def base = results[order[0]].min()
for (name in order) {
  def best = results[name].min()
  println String.format("%-28s median-of-5 ms, best of 3 rounds: %8.1f  (%.3f of default)", name, best, best / base)
}
