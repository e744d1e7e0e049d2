package org.fovea.models.tf;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.fovea.ops.net.FoveaException;

/**
 * The folder of a SavedModel given as a folder, as its {@code saved_model.pb}, or as a
 * {@code .zip} (unpacked to a temporary folder that {@link #close()} deletes).
 */
final class SavedModelDir implements AutoCloseable {

  private final Path dir;
  private final Path temp;

  private SavedModelDir(Path dir, Path temp) {
    this.dir = dir;
    this.temp = temp;
  }

  /** @return the folder that holds {@code saved_model.pb} */
  Path dir() {
    return dir;
  }

  /**
   * @param weights a SavedModel folder, its {@code saved_model.pb}, or a {@code .zip} of the folder
   * @return the folder
   * @throws FoveaException when no {@code saved_model.pb} is there
   */
  static SavedModelDir of(Path weights) {
    if (Files.isRegularFile(weights) && weights.getFileName().toString().equals("saved_model.pb")) {
      return new SavedModelDir(weights.toAbsolutePath().getParent(), null);
    }
    if (Files.isRegularFile(weights) && weights.toString().toLowerCase().endsWith(".zip")) {
      return unzip(weights);
    }
    if (!Files.isRegularFile(weights.resolve("saved_model.pb"))) {
      throw new FoveaException("the folder " + weights + " holds no saved_model.pb, so it is not a "
          + "TensorFlow SavedModel: give the folder that contains saved_model.pb and variables/");
    }
    return new SavedModelDir(weights, null);
  }

  private static SavedModelDir unzip(Path zip) {
    Path temp = null;
    try {
      temp = Files.createTempDirectory("fovea-savedmodel-");
      try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
        for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
          Path p = temp.resolve(e.getName()).normalize();
          if (!p.startsWith(temp)) {
            throw new IOException("entry " + e.getName() + " points outside the archive");
          }
          if (e.isDirectory()) {
            Files.createDirectories(p);
          } else {
            Files.createDirectories(p.getParent());
            Files.copy((InputStream) in, p, StandardCopyOption.REPLACE_EXISTING);
          }
        }
      }
      try (Stream<Path> s = Files.walk(temp, 3)) {
        Path pb = s.filter(p -> p.getFileName().toString().equals("saved_model.pb")).findFirst()
            .orElseThrow(() -> new FoveaException(zip + " holds no saved_model.pb, so it is not a "
                + "zipped TensorFlow SavedModel: zip the folder that contains saved_model.pb"));
        return new SavedModelDir(pb.getParent(), temp);
      }
    } catch (IOException | RuntimeException e) {
      delete(temp);
      if (e instanceof FoveaException f) {
        throw f;
      }
      throw new FoveaException("cannot unpack the SavedModel archive " + zip + " ("
          + e.getMessage() + "): check that it is a complete .zip and that the temporary folder "
          + "has free space", e);
    }
  }

  /** Deletes the unpacked copy, if any. */
  @Override
  public void close() {
    delete(temp);
  }

  private static void delete(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover temporary folder does no harm
    }
  }
}
