package org.fovea.models.pkg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fovea.ops.net.FoveaException;
import org.fovea.ops.net.TensorSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Descriptions shaped like the model examples of the bioimage.io specification
 * ({@code example_descriptions/models/} of bioimage-io/spec-bioimage-io, read at commit 63a2ea09:
 * unet2d_nuclei_broad, unet2d_multi_tensor, unet2d_diff_output_shape, stardist_example_model,
 * unet2d_fixed_shape, upsample_test_model, unet2d_keras_tf2 and the invalid duplicate-names one),
 * written here with the same structure (tensors, axes, sizes, processing, weight entries) and
 * placeholder files: Fovea reads what each declares, with the spec's defaults, and refuses the
 * invalid one with a sentence.
 */
class SpecExamplesTest {

  @TempDir
  Path tmp;

  @BeforeEach
  void cache() {
    System.setProperty("fovea.cache", tmp.resolve("cache").toString());
  }

  @AfterEach
  void clear() {
    System.clearProperty("fovea.cache");
  }

  /** A package folder with the description and an empty placeholder for each named file. */
  private ModelPackage read(String file, String text, String... files) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve(file.replace('.', '_')));
    for (String f : files) {
      if (f.endsWith(".zip")) {
        // a SavedModel zip as CSBDeep writes it: saved_model.pb and variables/ at the top
        try (var z = new java.util.zip.ZipOutputStream(Files.newOutputStream(dir.resolve(f)))) {
          for (String e : new String[] {"saved_model.pb", "variables/variables.index"}) {
            z.putNextEntry(new java.util.zip.ZipEntry(e));
            z.write("placeholder".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            z.closeEntry();
          }
        }
      } else {
        Files.writeString(dir.resolve(f), "placeholder");
      }
    }
    Files.writeString(dir.resolve(file), text);
    return ModelPackages.read(dir);
  }

  private static List<String> kinds(TensorDescription t) {
    return t.processing().stream().map(ProcessingStep::kind).toList();
  }

  /** unet2d_nuclei_broad (0.5.4): one fixed size, batch 1, an unnamed x axis, halo 32. */
  @Test
  void fixedSizeBroadNuclei05() throws IOException {
    ModelPackage p = read("bioimageio.yaml", """
        name: broad nuclei (test)
        description: shaped like the spec's unet2d_nuclei_broad example
        authors: [{name: Fovea tests}]
        license: MIT
        format_version: 0.5.4
        type: model
        inputs:
          - id: raw
            axes:
              - {type: batch, size: 1}
              - {type: channel, channel_names: [raw_intensity]}
              - {size: 512, id: y, type: space}
              - {size: 512, type: space}
            test_tensor: {source: test_input.npy}
            sample_tensor: {source: test_input.png}
            preprocessing:
              - {id: ensure_dtype, kwargs: {dtype: float32}}
              - {id: zero_mean_unit_variance, kwargs: {axes: [x, y]}}
              - {id: ensure_dtype, kwargs: {dtype: float32}}
        outputs:
          - id: probability
            axes:
              - {type: batch}
              - {type: channel, channel_names: [probability]}
              - {halo: 32, size: {tensor_id: raw, axis_id: y}, id: y, type: space}
              - {halo: 32, size: {tensor_id: raw, axis_id: x}, type: space}
            test_tensor: {source: test_output.npy}
            data: {range: [0.0, 1.0]}
            postprocessing:
              - {id: sigmoid}
              - {id: ensure_dtype, kwargs: {dtype: float32}}
        weights:
          onnx: {source: weights.onnx, parent: pytorch_state_dict, opset_version: 20}
          pytorch_state_dict:
            source: weights.torch
            architecture: {source: unet2d.py, callable: UNet2d,
                           kwargs: {input_channels: 1, output_channels: 1}}
            pytorch_version: 1.5.1
          torchscript: {source: weights.pt, parent: pytorch_state_dict, pytorch_version: 2.5.1}
        """, "weights.onnx", "weights.torch", "weights.pt", "unet2d.py", "test_input.npy",
        "test_output.npy", "test_input.png");
    TensorSpec in = p.inputs().get(0).spec();
    assertEquals("raw", in.name());
    assertEquals("bcyx", in.axes().toString(), "the unnamed space axis is x");
    assertArrayEquals(new long[] {1, 1, 512, 512}, in.min());
    assertArrayEquals(new long[] {0, 0, 0, 0}, in.step(), "fixed sizes");
    TensorSpec out = p.outputs().get(0).spec();
    assertEquals("raw", out.reference());
    assertArrayEquals(new long[] {0, 0, 32, 32}, out.halo());
    assertEquals(List.of("ensure_dtype", "zero_mean_unit_variance", "ensure_dtype"),
        kinds(p.inputs().get(0)));
    assertEquals(List.of("sigmoid", "ensure_dtype"), kinds(p.outputs().get(0)));
    assertEquals(java.util.Set.of(WeightFormat.ONNX, WeightFormat.TORCHSCRIPT),
        p.weights().keySet());
    assertTrue(p.otherWeights().contains("pytorch_state_dict"), p.otherWeights().toString());
  }

  /** unet2d_multi_tensor (0.5.4): two inputs, each output sized by its own input. */
  @Test
  void twoInputsTwoOutputs05() throws IOException {
    String space = """
              - {id: y, size: {min: 32, step: 16}, type: space}
              - {size: {min: 32, step: 16}, type: space}
        """;
    String in = """
          - axes:
              - {type: batch}
              - {channel_names: [channel0], type: channel}
        %s    id: %s
            preprocessing:
              - {id: ensure_dtype, kwargs: {dtype: float32}}
              - {id: zero_mean_unit_variance, kwargs: {axes: [channel, y, x]}}
            test_tensor: {source: %s.npy}
        """;
    String out = """
          - axes:
              - {type: batch}
              - {channel_names: [channel0], type: channel}
              - {id: y, size: {axis_id: y, tensor_id: %s}, type: space}
              - {size: {axis_id: x, tensor_id: %s}, type: space}
            id: %s
            test_tensor: {source: %s.npy}
        """;
    ModelPackage p = read("bioimageio.yaml", "name: multi tensor (test)\n"
        + "description: shaped like the spec's unet2d_multi_tensor example\n"
        + "authors: [{name: Fovea tests}]\nlicense: CC-BY-4.0\nformat_version: 0.5.4\n"
        + "type: model\nconfig:\n  bioimageio:\n    reproducibility_tolerance:\n"
        + "      - {absolute_tolerance: 1e-05}\ninputs:\n"
        + String.format(in, space, "input0", "in0") + String.format(in, space, "input1", "in1")
        + "outputs:\n" + String.format(out, "input0", "input0", "output0", "out0")
        + String.format(out, "input1", "input1", "output1", "out1")
        + "weights:\n  onnx: {source: weights.onnx, opset_version: 17}\n",
        "weights.onnx", "in0.npy", "in1.npy", "out0.npy", "out1.npy");
    assertEquals(List.of("input0", "input1"),
        p.inputs().stream().map(TensorDescription::name).toList());
    for (TensorDescription t : p.inputs()) {
      assertEquals("bcyx", t.spec().axes().toString());
      assertArrayEquals(new long[] {1, 1, 32, 32}, t.spec().min());
      assertArrayEquals(new long[] {1, 0, 16, 16}, t.spec().step(), "any batch size");
    }
    assertEquals("input0", p.outputs().get(0).spec().reference());
    assertEquals("input1", p.outputs().get(1).spec().reference());
    assertEquals(2, p.testInputs().size());
    assertEquals(1e-5, p.tolerances().get(0).absolute(), 1e-12);
  }

  /** unet2d_diff_output_shape (0.5.4): tensors without ids, an output at half resolution. */
  @Test
  void defaultIdsAndAHalfResolutionOutput05() throws IOException {
    ModelPackage p = read("bioimageio.yaml", """
        name: diff output shape (test)
        description: shaped like the spec's unet2d_diff_output_shape example
        authors: [{name: Fovea tests}]
        license: CC-BY-4.0
        format_version: 0.5.4
        type: model
        inputs:
          - axes:
              - {type: batch}
              - {channel_names: [channel0], type: channel}
              - {id: y, size: {min: 32, step: 16}, type: space}
              - {size: {min: 32, step: 16}, type: space}
            test_tensor: {source: test_input.npy}
        outputs:
          - axes:
              - {type: batch}
              - {channel_names: [channel0], type: channel}
              - {id: y, scale: 2.0, size: {axis_id: y, tensor_id: input}, type: space}
              - {scale: 2.0, size: {axis_id: x, tensor_id: input}, type: space}
            test_tensor: {source: test_output.npy}
        weights:
          torchscript: {source: weights.pt, pytorch_version: 1.6}
        """, "weights.pt", "test_input.npy", "test_output.npy");
    assertEquals("input", p.inputs().get(0).name());
    assertEquals("output", p.outputs().get(0).name());
    TensorSpec out = p.outputs().get(0).spec();
    assertEquals("input", out.reference());
    // an output pixel spans 2 input pixels: half as many
    assertEquals(0.5, out.scale()[2], 1e-12);
    assertEquals(0.5, out.scale()[3], 1e-12);
  }

  /** stardist_example_model (0.4.0): byxc, 33 channels from an offset of 16.5, a SavedModel zip. */
  @Test
  void starDistShaped04() throws IOException {
    ModelPackage p = read("rdf.yaml", """
        format_version: 0.4.0
        type: model
        name: stardist shaped (test)
        description: shaped like the spec's stardist_example_model example
        authors: [{name: Fovea tests}]
        license: CC-BY-NC-4.0
        inputs:
          - axes: byxc
            data_range: [-.inf, .inf]
            data_type: "float32"
            name: input
            preprocessing:
              - kwargs: {axes: yx, max_percentile: 99.8, min_percentile: 1.0, mode: per_sample}
                name: scale_range
            shape:
              min: [1, 80, 80, 1]
              step: [0, 16, 16, 0]
        outputs:
          - axes: byxc
            data_range: [-.inf, .inf]
            data_type: float32
            halo: [0, 32, 32, 0]
            name: output
            shape:
              offset: [0.0, 0.0, 0.0, 16.5]
              reference_tensor: input
              scale: [1.0, 1.0, 1.0, 0.0]
        test_inputs: [test_input.npy]
        test_outputs: [test_output0.npy]
        weights:
          tensorflow_saved_model_bundle:
            source: TF_SavedModel.zip
            tensorflow_version: "1.15"
        config:
          stardist:
            thresholds: {nms: 0.3, prob: 0.48}
        """, "TF_SavedModel.zip", "test_input.npy", "test_output0.npy");
    TensorSpec in = p.inputs().get(0).spec();
    assertEquals("byxc", in.axes().toString());
    assertArrayEquals(new long[] {1, 80, 80, 1}, in.min());
    assertArrayEquals(new long[] {0, 16, 16, 0}, in.step());
    TensorSpec out = p.outputs().get(0).spec();
    // size = input * scale + 2 * offset: the channel axis holds 2 * 16.5 = 33 values
    assertEquals(0.0, out.scale()[3], 1e-12);
    assertEquals(33, out.offset()[3]);
    assertArrayEquals(new long[] {0, 32, 32, 0}, out.halo());
    assertEquals(List.of("scale_range"), kinds(p.inputs().get(0)));
    assertEquals(java.util.Set.of(WeightFormat.TENSORFLOW_SAVED_MODEL),
        p.weights().keySet());
    // StarDist's config: star-convex objects, 32 rays after the probability, its thresholds
    InstanceConfig ic = InstanceConfig.of(p);
    assertEquals("star", ic.method());
    assertEquals(32, ic.rays());
    assertEquals(0.48, ic.probThreshold(), 1e-12);
    assertEquals(0.3, ic.nmsThreshold(), 1e-12);
    assertEquals(1, ic.distanceUnit(), 0);
  }

  @Test
  void aStarDistThresholdOutOfRangeIsOneSentence() throws IOException {
    ModelPackage p = read("rdf.yaml", """
        format_version: 0.5.3
        type: model
        name: stardist bad threshold (test)
        inputs:
        - id: input
          axes:
          - {type: batch}
          - {type: space, id: y, size: {min: 16, step: 16}}
          - {type: space, id: x, size: {min: 16, step: 16}}
          - {type: channel, channel_names: [raw]}
        outputs:
        - id: output
          axes:
          - {type: batch}
          - {type: space, id: y, size: {tensor_id: input, axis_id: y}}
          - {type: space, id: x, size: {tensor_id: input, axis_id: x}}
          - {type: channel, channel_names: [p, d0, d1, d2, d3, d4, d5, d6, d7]}
        weights:
          onnx: {source: w.onnx}
        config:
          stardist:
            thresholds: {prob: 1.5, nms: 0.3}
        """, "w.onnx");
    FoveaException e = org.junit.jupiter.api.Assertions.assertThrows(FoveaException.class,
        () -> InstanceConfig.of(p));
    assertTrue(e.getMessage().contains("config.stardist.thresholds.prob must be a number in"
        + " [0, 1), got 1.5"), e.getMessage());
    // without thresholds: 8 rays, the thresholds left to the defaults
    ModelPackage q = read("bioimageio.yaml", Files.readString(p.descriptionFile())
        .replace("thresholds: {prob: 1.5, nms: 0.3}", "stardist_version: 0.9.1"), "w.onnx");
    assertEquals(8, InstanceConfig.of(q).rays());
    assertTrue(Double.isNaN(InstanceConfig.of(q).probThreshold()));
  }

  /** unet2d_fixed_shape (0.4.9): explicit shapes for input and output (one size), halo 8. */
  @Test
  void explicitShapes04() throws IOException {
    ModelPackage p = read("rdf.yaml", """
        format_version: 0.4.9
        type: model
        name: fixed shape (test)
        description: shaped like the spec's unet2d_fixed_shape example
        authors: [{name: Fovea tests}]
        license: CC-BY-4.0
        inputs:
          - axes: &axes bcyx
            data_range: [-.inf, .inf]
            data_type: float32
            name: input
            preprocessing:
              - kwargs: {axes: cyx, mode: per_sample}
                name: zero_mean_unit_variance
            shape: &shape [1, 1, 256, 256]
        outputs:
          - axes: *axes
            data_range: [-.inf, .inf]
            data_type: float32
            halo: [0, 0, 8, 8]
            name: output
            shape: *shape
        test_inputs: ["test_input.npy"]
        test_outputs: ["test_output.npy"]
        weights:
          onnx: {source: weights.onnx}
        """, "weights.onnx", "test_input.npy", "test_output.npy");
    assertArrayEquals(new long[] {1, 1, 256, 256}, p.inputs().get(0).spec().min());
    assertArrayEquals(new long[] {0, 0, 0, 0}, p.inputs().get(0).spec().step());
    TensorSpec out = p.outputs().get(0).spec();
    assertArrayEquals(new long[] {1, 1, 256, 256}, out.min());
    assertArrayEquals(new long[] {0, 0, 8, 8}, out.halo());
    assertNull(out.reference(), "an explicit output shape");
  }

  /** upsample_test_model (0.4.10): a 4x output, one channel from an offset of 0.5. */
  @Test
  void fourTimesOutput04() throws IOException {
    ModelPackage p = read("rdf.yaml", """
        format_version: 0.4.10
        type: model
        name: upsample (test)
        description: shaped like the spec's upsample_test_model example
        authors: [{name: Fovea tests}]
        license: CC-BY-4.0
        inputs:
          - axes: bcyx
            data_range: [-.inf, .inf]
            data_type: float32
            name: input
            shape:
              min: [1, 1, 5, 5]
              step: [0, 0, 5, 5]
        outputs:
          - axes: bcyx
            data_range: [-.inf, .inf]
            data_type: float32
            halo: [0, 0, 0, 0]
            name: output
            shape:
              offset: [0.0, 0.5, 0.0, 0.0]
              reference_tensor: input
              scale: [1.0, 0.0, 4.0, 4.0]
        test_inputs: [test_input.npy]
        test_outputs: [test_output.npy]
        weights:
          torchscript: {source: weights.pt}
        """, "weights.pt", "test_input.npy", "test_output.npy");
    assertArrayEquals(new long[] {0, 0, 5, 5}, p.inputs().get(0).spec().step());
    TensorSpec out = p.outputs().get(0).spec();
    assertEquals(4.0, out.scale()[2], 1e-12);
    assertEquals(4.0, out.scale()[3], 1e-12);
    assertEquals(1, out.offset()[1], "one channel: 2 * 0.5");
  }

  /** unet2d_keras_tf2 (0.4.8): x before y, 3 channels from a scale of 3, Keras and a SavedModel. */
  @Test
  void kerasParentAndXBeforeY04() throws IOException {
    ModelPackage p = read("rdf.yaml", """
        format_version: 0.4.8
        type: model
        name: keras tf2 (test)
        description: shaped like the spec's unet2d_keras_tf2 example
        authors: [{name: Fovea tests}]
        license: MIT
        inputs:
          - axes: bxyc
            data_range: [-.inf, .inf]
            data_type: float32
            name: input
            preprocessing:
              - kwargs: {axes: xyc, max_percentile: 99.8, min_percentile: 1.0, mode: per_sample}
                name: scale_range
            shape: [1, 256, 256, 1]
        outputs:
          - axes: bxyc
            data_range: [-.inf, .inf]
            data_type: float32
            name: output
            shape:
              offset: [0.0, 0.0, 0.0, 0.0]
              reference_tensor: input
              scale: [1.0, 1.0, 1.0, 3.0]
        test_inputs: [test_input.npy]
        test_outputs: [test_output.npy]
        weights:
          keras_hdf5: {source: keras_weights.hdf5, tensorflow_version: 2.9.2}
          tensorflow_saved_model_bundle:
            source: tf-weights.zip
            tensorflow_version: 2.6.2
            parent: keras_hdf5
        """, "keras_weights.hdf5", "tf-weights.zip", "test_input.npy", "test_output.npy");
    assertEquals("bxyc", p.inputs().get(0).spec().axes().toString());
    assertEquals(3.0, p.outputs().get(0).spec().scale()[3], 1e-12);
    assertEquals(java.util.Set.of(WeightFormat.TENSORFLOW_SAVED_MODEL),
        p.weights().keySet());
    assertTrue(p.otherWeights().contains("keras_hdf5"), p.otherWeights().toString());
  }

  /** A weights entry's parent must be another entry of the package (the spec's check). */
  @Test
  void aParentThatIsNoEntryIsRefused() throws IOException {
    String base = """
        format_version: 0.4.10
        type: model
        name: parents (test)
        inputs:
        - {name: in, axes: bcyx, shape: [1, 1, 8, 8]}
        outputs:
        - name: out
          axes: bcyx
          shape: {reference_tensor: in, scale: [1, 1, 1, 1], offset: [0, 0, 0, 0]}
        weights:
        """;
    FoveaException missing = org.junit.jupiter.api.Assertions.assertThrows(FoveaException.class,
        () -> read("rdf.yaml", base + "  onnx: {source: w.onnx, parent: pytorch_state_dict}\n",
            "w.onnx"));
    assertTrue(missing.getMessage().contains("field 'weights.onnx.parent' is"
        + " 'pytorch_state_dict', which is not one of the package's weights entries [onnx]"),
        missing.getMessage());
    FoveaException self = org.junit.jupiter.api.Assertions.assertThrows(FoveaException.class,
        () -> read("bioimageio.yaml", base + "  onnx: {source: w.onnx, parent: onnx}\n",
            "w.onnx"));
    assertTrue(self.getMessage().contains("names the entry itself"), self.getMessage());
    // a parent that is an entry, even one no engine runs, is fine
    ModelPackage ok = read("ok.bioimageio.yaml", base + "  onnx: {source: w.onnx, parent: keras_hdf5}\n"
        + "  keras_hdf5: {source: k.h5}\n", "w.onnx", "k.h5");
    assertEquals(java.util.Set.of(WeightFormat.ONNX), ok.weights().keySet());
  }

  /** invalid_v0_4_0_duplicate_tensor_names: an output named like an input is refused. */
  @Test
  void duplicateTensorNamesAreRefused04() throws IOException {
    FoveaException e = org.junit.jupiter.api.Assertions.assertThrows(FoveaException.class,
        () -> read("rdf.yaml", """
            format_version: 0.4.0
            type: model
            name: duplicate names (test)
            description: shaped like the spec's invalid duplicate-tensor-names example
            authors: [{name: Fovea tests}]
            license: MIT
            inputs:
              - name: data
                axes: bcyx
                data_type: float32
                data_range: [-.inf, .inf]
                shape: [1, 1, 512, 512]
            outputs:
              - name: data
                axes: bcyx
                data_type: float32
                data_range: [-.inf, .inf]
                halo: [0, 0, 32, 32]
                shape: [1, 1, 512, 512]
            test_inputs: [test_input.npy]
            test_outputs: [test_output.npy]
            weights:
              onnx: {source: weights.onnx, opset_version: 12}
            """, "weights.onnx", "test_input.npy", "test_output.npy"));
    assertTrue(e.getMessage().contains("outputs[0].name") && e.getMessage().contains("'data'"),
        e.getMessage());
    assertTrue(!e.getMessage().contains("\n"), e.getMessage());
  }
}
