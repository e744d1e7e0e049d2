package org.fovea.models.pkg;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.fovea.ops.net.FoveaException;

/**
 * Extracts zip archives without letting them write outside their folder or fill the disk.
 *
 * <p>Every entry name is checked before anything is written: absolute names ({@code /etc/x},
 * {@code C:\x}, {@code \\server\x}), names that normalize outside the folder ({@code ../x},
 * {@code a/../../x}) and names with NUL characters refuse the whole archive. The number of entries
 * and the bytes written are limited, both by the sizes the archive declares and while writing.
 */
final class SafeZip {

  /** Default limit of the bytes an archive may unpack to: 4 GiB. */
  static final long MAX_BYTES = 4L << 30;
  /** Default limit of the entries of an archive. */
  static final int MAX_ENTRIES = 100_000;

  private static final Path BASE = Path.of("package");

  private SafeZip() {}

  /**
   * A checked entry.
   *
   * @param name its normalized relative path, {@code /}-separated, without a trailing slash
   * @param raw its name as the archive gives it
   * @param directory whether it is a folder
   */
  record Entry(String name, String raw, boolean directory) {}

  /**
   * @param p a file
   * @return whether it starts like a zip archive
   */
  static boolean looksLikeZip(Path p) {
    byte[] b = new byte[4];
    try (InputStream in = Files.newInputStream(p)) {
      int n = in.readNBytes(b, 0, 4);
      return n == 4 && b[0] == 'P' && b[1] == 'K' && (b[2] == 3 || b[2] == 5) && (b[3] == 4
          || b[3] == 6);
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Checks every entry of an archive without writing anything.
   *
   * @param zip the archive
   * @param maxBytes limit of the declared uncompressed size
   * @param maxEntries limit of the number of entries
   * @return the entries
   * @throws FoveaException naming the archive when it is unreadable or unsafe
   */
  static List<Entry> inspect(Path zip, long maxBytes, int maxEntries) {
    List<Entry> r = new ArrayList<>();
    try (ZipFile zf = new ZipFile(zip.toFile())) {
      long total = 0;
      Enumeration<? extends ZipEntry> en = zf.entries();
      while (en.hasMoreElements()) {
        ZipEntry e = en.nextElement();
        if (r.size() >= maxEntries) {
          throw new FoveaException("refusing " + zip + ": it has more than " + maxEntries
              + " entries, which looks like a zip bomb; unpack it yourself if you trust it and "
              + "give Fovea the folder");
        }
        String name = check(zip, e.getName());
        if (e.getSize() > 0) {
          total += e.getSize();
        }
        if (total > maxBytes) {
          throw tooLarge(zip, maxBytes);
        }
        if (!name.isEmpty()) {
          r.add(new Entry(name, e.getName(), e.isDirectory()));
        }
      }
    } catch (ZipException e) {
      throw notZip(zip, e);
    } catch (IOException e) {
      throw new FoveaException("cannot read " + zip + " (" + e.getMessage()
          + "); check that the file exists and is readable", e);
    }
    return r;
  }

  /**
   * Extracts an archive into an existing empty folder, after {@link #inspect checking} it.
   *
   * @param zip the archive
   * @param target the folder
   * @param maxBytes limit of the bytes written
   * @param maxEntries limit of the number of entries
   * @throws FoveaException naming the archive when it is unreadable or unsafe; what was written
   *     stays in {@code target} for the caller to delete
   */
  static void extract(Path zip, Path target, long maxBytes, int maxEntries) {
    inspect(zip, maxBytes, maxEntries);
    Path dir = target.toAbsolutePath().normalize();
    long written = 0;
    byte[] buf = new byte[1 << 16];
    try (ZipFile zf = new ZipFile(zip.toFile())) {
      Enumeration<? extends ZipEntry> en = zf.entries();
      while (en.hasMoreElements()) {
        ZipEntry e = en.nextElement();
        String name = check(zip, e.getName());
        if (name.isEmpty()) {
          continue;
        }
        Path out = dir.resolve(name).normalize();
        if (!out.startsWith(dir) || out.equals(dir)) {
          throw outside(zip, e.getName());
        }
        if (e.isDirectory()) {
          Files.createDirectories(out);
          continue;
        }
        Files.createDirectories(out.getParent());
        try (InputStream in = zf.getInputStream(e);
            OutputStream os = Files.newOutputStream(out, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
          for (int n; (n = in.read(buf)) >= 0; ) {
            written += n;
            if (written > maxBytes) {
              throw tooLarge(zip, maxBytes);
            }
            os.write(buf, 0, n);
          }
        } catch (java.nio.file.FileAlreadyExistsException x) {
          throw new FoveaException("refusing " + zip + ": entry '" + e.getName() + "' appears "
              + "twice or clashes with a folder; re-create the archive", x);
        }
      }
    } catch (ZipException e) {
      throw notZip(zip, e);
    } catch (IOException e) {
      throw new FoveaException("cannot extract " + zip + " into " + dir + " (" + e.getMessage()
          + "); check the free disk space and that the folder is writable", e);
    }
  }

  /**
   * @param zip the archive, for messages
   * @param raw an entry name
   * @return the normalized relative name, empty for the archive's root
   * @throws FoveaException when the entry would be written outside the folder
   */
  static String check(Path zip, String raw) {
    String s = raw.replace('\\', '/');
    if (s.indexOf('\0') >= 0 || s.startsWith("/") || s.matches("^[A-Za-z]:.*")) {
      throw outside(zip, raw);
    }
    Path norm;
    try {
      norm = BASE.resolve(s).normalize();
    } catch (InvalidPathException e) {
      throw outside(zip, raw);
    }
    if (!norm.startsWith(BASE)) {
      throw outside(zip, raw);
    }
    return BASE.relativize(norm).toString().replace('\\', '/');
  }

  private static FoveaException outside(Path zip, String raw) {
    return new FoveaException("refusing " + zip + ": entry '" + raw + "' would be written outside "
        + "the package folder; the archive is unsafe, so get the package from a trusted source");
  }

  private static FoveaException tooLarge(Path zip, long maxBytes) {
    return new FoveaException("refusing " + zip + ": it would unpack to more than " + maxBytes
        + " bytes, which looks like a zip bomb; unpack it yourself if you trust it and give Fovea "
        + "the folder");
  }

  private static FoveaException notZip(Path zip, ZipException e) {
    return new FoveaException(zip + " is not a readable zip file (" + e.getMessage() + "); give "
        + "a model package folder, its rdf.yaml, or a bioimage.io .zip", e);
  }
}
