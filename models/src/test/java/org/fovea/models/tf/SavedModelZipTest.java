package org.fovea.models.tf;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.fovea.models.Model;
import org.fovea.models.Segmentation;
import org.fovea.models.Validation;
import org.fovea.models.Zoo;
import org.fovea.models.pkg.ModelPackage;
import org.fovea.ops.net.Axes;
import org.fovea.ops.net.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A SavedModel packaged the way CSBDeep and StarDist export TensorFlow 1.x models (issue 14, item
 * 7): a zip holding {@code saved_model.pb} and {@code variables/} at its top, named in {@code
 * weights.tensorflow_saved_model_bundle.source} with {@code tensorflow_version: 1.15}, its
 * tensors named otherwise than the signature's keys (CSBDeep's keys are {@code input} and
 * {@code output}). Made here from the shipped nuclei-dilated's SavedModel: it validates on
 * TensorFlow and segments like the unzipped folder, tiles equal to one pass.
 */
class SavedModelZipTest {

  @TempDir
  Path tmp;

  private Path zippedPackage() throws IOException {
    Path src = Zoo.resolve("nuclei-dilated").root();
    Path pkg = Files.createDirectories(tmp.resolve("csbdeep-style"));
    try (OutputStream os = Files.newOutputStream(pkg.resolve("tf_model.zip"));
        ZipOutputStream zip = new ZipOutputStream(os);
        var files = Files.walk(src.resolve("tf_saved_model"))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        zip.putNextEntry(new ZipEntry(src.resolve("tf_saved_model").relativize(f).toString()
            .replace('\\', '/')));
        zip.write(Files.readAllBytes(f));
        zip.closeEntry();
      }
    }
    for (String f : List.of("test_input.npy", "test_output.npy")) {
      Files.copy(src.resolve(f), pkg.resolve(f));
    }
    String rdf = Files.readString(src.resolve("rdf.yaml"));
    int w = rdf.indexOf("weights:");
    rdf = rdf.substring(0, w) + "weights:\n  tensorflow_saved_model_bundle:\n"
        + "    source: tf_model.zip\n    tensorflow_version: 1.15\n";
    // tensor ids other than the signature's keys: the single input and output are matched
    rdf = rdf.replace("id: raw", "id: image").replace("tensor_id: raw", "tensor_id: image")
        .replace("id: probabilities", "id: prob");
    Files.writeString(pkg.resolve("rdf.yaml"), rdf);
    return pkg;
  }

  @Test
  void aZippedSavedModelValidatesAndSegmentsLikeTheFolder() throws IOException {
    ModelPackage p = Zoo.resolve(zippedPackage().toString());
    Validation.Result v = Validation.run(p, "tensorflow").get(0);
    assertTrue(v.passed() && v.maxAbsDifference() <= 1e-4, v.toString());
    int h = 150;
    int w = 170;
    float[] px = new float[h * w];
    java.util.Random rnd = new java.util.Random(4);
    for (int i = 0; i < px.length; i++) {
      px[i] = rnd.nextInt(3000);
    }
    try (Model zipped = Model.load(p, "tensorflow", "cpu");
        Model folder = Model.load(Zoo.resolve("nuclei-dilated"), "tensorflow", "cpu")) {
      float[] a = Segmentation.run(zipped, new Tensor(Axes.of("bcyx"), new long[] {1, 1, h, w},
          px.clone()), 64, null).probabilities().data();
      float[] b = Segmentation.run(folder, new Tensor(Axes.of("bcyx"), new long[] {1, 1, h, w},
          px.clone()), 0, null).probabilities().data();
      double worst = 0;
      for (int i = 0; i < a.length; i++) {
        worst = Math.max(worst, Math.abs(a[i] - b[i]));
      }
      assertTrue(worst <= 1e-5, "zip tiled vs folder whole: " + worst);
    }
  }
}
