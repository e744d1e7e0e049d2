package org.fovea.models.pkg;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.fovea.ops.net.FoveaException;

/**
 * A model description being read: typed access to its YAML values, with messages that name the
 * file and the field, and resolution of the files it names.
 */
final class RdfFile {

  private final Path file;
  private final Path root;

  /**
   * @param file the description, absolute
   * @param root the package folder its relative paths start from, absolute
   */
  RdfFile(Path file, Path root) {
    this.file = file;
    this.root = root.toAbsolutePath().normalize();
  }

  /** @return the description file */
  Path file() {
    return file;
  }

  /** @return the package folder */
  Path root() {
    return root;
  }

  /** @return the start of every message: {@code rdf.yaml at <file>} */
  String at() {
    return "rdf.yaml at " + file;
  }

  /**
   * @param field the path of a missing field, such as {@code inputs[0].axes}
   * @return an exception that names the field and the file
   */
  FoveaException missing(String field) {
    return new FoveaException(at() + " lacks the required field '" + field + "'; add it or "
        + "re-export the package with bioimageio.spec");
  }

  /**
   * Refuses a field the spec does not define in this node: the spec's nodes forbid extra fields
   * ({@code extra="forbid"} in {@code _internal/node.py}), and a misspelt {@code preprocessing}
   * read as unknown would silently drop the normalization.
   *
   * @param m a node's fields
   * @param field the node's path
   * @param known the fields the spec defines for it
   * @throws FoveaException naming the first unknown field
   */
  void onlyKnown(Map<String, Object> m, String field, java.util.Set<String> known) {
    for (String k : m.keySet()) {
      if (!known.contains(k)) {
        throw bad(field + "." + k, "is not a field of this tensor description in the"
            + " bioimage.io spec (" + new java.util.TreeSet<>(known) + "): check its spelling");
      }
    }
  }

  /**
   * @param field the path of a field
   * @param problem what is wrong with it
   * @return an exception that names the field and the file
   */
  FoveaException bad(String field, String problem) {
    return new FoveaException(at() + ": field '" + field + "' " + problem + "; fix the field or "
        + "re-export the package with bioimageio.spec");
  }

  /**
   * @param m a map
   * @param key a key
   * @param field the key's path, for messages
   * @return the value, not null
   */
  Object req(Map<String, Object> m, String key, String field) {
    Object v = m.get(key);
    if (v == null) {
      throw missing(field);
    }
    return v;
  }

  /**
   * @param v a value
   * @param field its path
   * @return the value as a map
   */
  @SuppressWarnings("unchecked")
  Map<String, Object> map(Object v, String field) {
    if (v instanceof Map<?, ?> m) {
      return (Map<String, Object>) m;
    }
    throw bad(field, "must be a map of fields, got '" + v + "'");
  }

  /**
   * @param v a value
   * @param field its path
   * @return the value as a list
   */
  @SuppressWarnings("unchecked")
  List<Object> list(Object v, String field) {
    if (v instanceof List<?> l) {
      return (List<Object>) l;
    }
    throw bad(field, "must be a list, got '" + v + "'");
  }

  /**
   * @param v a value
   * @param field its path
   * @return the value as text
   */
  String text(Object v, String field) {
    if (v instanceof Map<?, ?> || v instanceof List<?>) {
      throw bad(field, "must be text, got '" + v + "'");
    }
    return String.valueOf(v);
  }

  /**
   * @param v a value
   * @param field its path
   * @return the value as a number
   */
  double number(Object v, String field) {
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    if (v instanceof String s) {
      try {
        return Double.parseDouble(s.trim());
      } catch (NumberFormatException e) {
        // fall through
      }
    }
    throw bad(field, "must be a number, got '" + v + "'");
  }

  /**
   * @param v a value
   * @param field its path
   * @return the value as a whole number
   */
  long integer(Object v, String field) {
    double d = number(v, field);
    if (d != Math.rint(d) || Math.abs(d) > 1e15) {
      throw bad(field, "must be a whole number, got '" + v + "'");
    }
    return (long) d;
  }

  /**
   * @param v a value
   * @param field its path
   * @param n the required length
   * @return the value as a list of {@code n} whole numbers
   */
  long[] integers(Object v, String field, int n) {
    List<Object> l = list(v, field);
    if (l.size() != n) {
      throw bad(field, "has " + l.size() + " entries but the tensor has " + n + " axes");
    }
    long[] r = new long[n];
    for (int i = 0; i < n; i++) {
      r[i] = integer(l.get(i), field + "[" + i + "]");
    }
    return r;
  }

  /**
   * Resolves a file the description names.
   *
   * @param source the value of a {@code source} field (or of a list entry)
   * @param field its path
   * @param what how to call the file in messages, such as {@code weights file}
   * @return the absolute path of the existing file or folder inside the package
   * @throws FoveaException for URLs, paths outside the package and missing files
   */
  Path resolve(Object source, String field, String what) {
    String s = text(source, field).trim();
    if (s.matches("^[A-Za-z][A-Za-z0-9+.-]*://.*") || s.startsWith("doi:")) {
      throw new FoveaException(at() + " names the " + what + " '" + s + "' in field '" + field
          + "' as a URL, but Fovea never downloads: the file must be inside the package, so "
          + "download it into " + root + " and set '" + field + "' to its file name");
    }
    Path p;
    try {
      p = Path.of(s);
    } catch (InvalidPathException e) {
      throw bad(field, "is not a valid file name ('" + s + "')");
    }
    Path r = root.resolve(p).normalize();
    if (p.isAbsolute() || s.startsWith("/") || s.startsWith("\\") || !r.startsWith(root)) {
      throw new FoveaException(at() + " names the " + what + " '" + s + "' in field '" + field
          + "', which is outside the package folder " + root + "; the file must be inside the "
          + "package, so copy it there and give its path relative to the package");
    }
    if (!Files.exists(r)) {
      throw new FoveaException("the " + what + " " + r + " named in " + at() + " (field '" + field
          + "') does not exist; put the file into the package folder or fix the field");
    }
    return r;
  }
}
