// TensorFlow session options on the CPU, measured side by side in one process (issue 18, item 2):
// each option alone against the configuration Fovea uses (TfDevices.config("cpu"): soft placement,
// no GPU, TensorFlow's own thread pools), nuclei-dilated's SavedModel on a 1024 x 1024 input,
// median of 5 runs per session, best of 3 rounds interleaved so that a noisy machine hurts every
// option alike. oneDNN is TensorFlow's default on x86 Linux and is read from the environment when
// TensorFlow starts, so it is compared by two runs of this script:
//   ./fovea script bench/tf-options.groovy
//   TF_ENABLE_ONEDNN_OPTS=0 ./fovea script bench/tf-options.groovy
import org.tensorflow.SavedModelBundle
import org.tensorflow.ndarray.Shape
import org.tensorflow.ndarray.buffer.DataBuffers
import org.tensorflow.proto.ConfigProto
import org.tensorflow.proto.GraphOptions
import org.tensorflow.proto.OptimizerOptions
import org.tensorflow.types.TFloat32

def dir = "models/zoo/nuclei-dilated/tf_saved_model"
int n = 1024
float[] x = new float[n * n]
def r = new Random(1)
for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian()
int cores = Runtime.getRuntime().availableProcessors()
def base = { ConfigProto.newBuilder().setAllowSoftPlacement(true).putDeviceCount("GPU", 0) }
def configs = [
  "default (Fovea's)": { b -> b },
  "intra-op = cores, inter-op 1": { b -> b.setIntraOpParallelismThreads(cores).setInterOpParallelismThreads(1) },
  "intra-op 1": { b -> b.setIntraOpParallelismThreads(1) },
  "XLA JIT (ON_1)": { b -> b.setGraphOptions(GraphOptions.newBuilder().setOptimizerOptions(
      OptimizerOptions.newBuilder().setGlobalJitLevel(OptimizerOptions.GlobalJitLevel.ON_1))) },
  "no graph optimizer (L0)": { b -> b.setGraphOptions(GraphOptions.newBuilder().setOptimizerOptions(
      OptimizerOptions.newBuilder().setOptLevel(OptimizerOptions.Level.L0))) },
]
def order = configs.keySet().toList()
def results = [:]
for (round in 0..2) {
  for (name in order) {
    def cfg = configs[name](base()).build()
    def bundle = SavedModelBundle.loader(dir).withTags("serve").withConfigProto(cfg).load()
    def sig = bundle.signatures().find { it.key() == "serving_default" }
    def feed = sig.getInputs().values().iterator().next().name
    def fetch = sig.getOutputs().values().iterator().next().name
    def t = TFloat32.tensorOf(Shape.of(1, 1, n, n), DataBuffers.of(x, true, false))
    def once = { bundle.session().runner().feed(feed, t).fetch(fetch).run().close() }
    once()
    def ms = []
    for (k in 0..4) {
      long t0 = System.nanoTime()
      once()
      ms << (System.nanoTime() - t0) / 1e6
    }
    ms.sort()
    results.computeIfAbsent(name, { [] }) << ms[2]
    t.close(); bundle.close()
  }
}
def first = results[order[0]].min()
println "TF_ENABLE_ONEDNN_OPTS=" + (System.getenv("TF_ENABLE_ONEDNN_OPTS") ?: "(unset: TensorFlow's default)")
for (name in order) {
  def best = results[name].min()
  println String.format("%-30s median-of-5 ms, best of 3 rounds: %8.1f  (%.3f of default)", name, best, best / first)
}
