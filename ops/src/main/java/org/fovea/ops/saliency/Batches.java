package org.fovea.ops.saliency;

import java.util.List;
import org.fovea.ops.net.Tensor;

/** Stacking and splitting tensors along their first (batch) axis. */
final class Batches {

  private Batches() {}

  /** @return the tensors, each of batch 1 and one shape, stacked along the first axis */
  static Tensor stack(List<Tensor> items) {
    Tensor first = items.get(0);
    long[] shape = first.shape();
    int n = first.data().length;
    shape[0] = items.size();
    float[] d = new float[n * items.size()];
    for (int i = 0; i < items.size(); i++) {
      System.arraycopy(items.get(i).data(), 0, d, i * n, n);
    }
    return new Tensor(first.axes(), shape, d);
  }

  /** @return batch item {@code i} as a tensor of batch 1 */
  static Tensor item(Tensor t, int i) {
    long[] shape = t.shape();
    int n = (int) (t.data().length / shape[0]);
    shape[0] = 1;
    float[] d = new float[n];
    System.arraycopy(t.data(), i * n, d, 0, n);
    return new Tensor(t.axes(), shape, d);
  }

  /** @return {@code sum(out * w)} for each batch item; {@code w} has batch 1 or the same batch */
  static double[] scores(Tensor out, Tensor w) {
    long b = out.shape()[0];
    int n = (int) (out.data().length / b);
    boolean shared = w.data().length == n;
    double[] s = new double[(int) b];
    for (int i = 0; i < b; i++) {
      double sum = 0;
      int wo = shared ? 0 : i * n;
      for (int k = 0; k < n; k++) {
        sum += (double) out.data()[i * n + k] * w.data()[wo + k];
      }
      s[i] = sum;
    }
    return s;
  }

  /** @return the weights repeated for a batch of {@code b} */
  static Tensor repeat(Tensor w, int b) {
    return stack(java.util.Collections.nCopies(b, w));
  }
}
