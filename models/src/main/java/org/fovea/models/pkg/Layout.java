package org.fovea.models.pkg;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.fovea.ops.net.FoveaException;

/**
 * Finds a package's description (or a SavedModel's {@code saved_model.pb}) at the top of a folder
 * or archive, or inside its single top folder (as zipping a folder produces).
 */
final class Layout {

  /** Folder names that archivers add and that never hold the package. */
  private static final Set<String> IGNORED = Set.of("__MACOSX");

  private Layout() {}

  /**
   * @param name a file name
   * @return whether it names a model description
   */
  static boolean isRdf(String name) {
    return name.equals("rdf.yaml") || name.equals("bioimageio.yaml")
        || name.endsWith(".bioimageio.yaml");
  }

  /**
   * @param name a file name
   * @return whether it names a SavedModel graph
   */
  static boolean isSavedModel(String name) {
    return name.equals("saved_model.pb") || name.equals("saved_model.pbtxt");
  }

  /**
   * @param names file names in one folder
   * @param wanted which names qualify
   * @param where the folder or archive, for the message on ambiguity
   * @return the chosen name ({@code rdf.yaml} first), or null when none qualifies
   */
  static String choose(List<String> names, Predicate<String> wanted, Object where) {
    List<String> hits = names.stream().filter(wanted).sorted().toList();
    if (hits.isEmpty()) {
      return null;
    }
    if (hits.contains("rdf.yaml")) {
      return "rdf.yaml";
    }
    if (hits.size() > 1) {
      throw new FoveaException(where + " holds several model descriptions " + hits + "; keep one "
          + "(or name the one to use, such as " + hits.get(0) + ")");
    }
    return hits.get(0);
  }

  /**
   * @param dir a folder
   * @param wanted which file names qualify
   * @return the qualifying file at the top or in the single top folder, or null
   */
  static Path find(Path dir, Predicate<String> wanted) {
    String top = choose(fileNames(dir), wanted, dir);
    if (top != null) {
      return dir.resolve(top);
    }
    List<Path> sub = subfolders(dir);
    if (sub.size() == 1) {
      String inner = choose(fileNames(sub.get(0)), wanted, sub.get(0));
      if (inner != null) {
        return sub.get(0).resolve(inner);
      }
    }
    return null;
  }

  /**
   * @param entries an archive's checked entries
   * @param wanted which file names qualify
   * @param zip the archive, for messages
   * @return whether a qualifying file is at the top or in the single top folder
   */
  static boolean contains(List<SafeZip.Entry> entries, Predicate<String> wanted, Path zip) {
    List<String> topFiles = new ArrayList<>();
    Set<String> topDirs = new LinkedHashSet<>();
    for (SafeZip.Entry e : entries) {
      int slash = e.name().indexOf('/');
      if (slash < 0) {
        if (e.directory()) {
          topDirs.add(e.name());
        } else {
          topFiles.add(e.name());
        }
      } else {
        topDirs.add(e.name().substring(0, slash));
      }
    }
    if (choose(topFiles, wanted, zip) != null) {
      return true;
    }
    topDirs.removeIf(d -> IGNORED.contains(d) || d.startsWith("."));
    if (topDirs.size() != 1) {
      return false;
    }
    String prefix = topDirs.iterator().next() + "/";
    List<String> inner = new ArrayList<>();
    for (SafeZip.Entry e : entries) {
      if (!e.directory() && e.name().startsWith(prefix)
          && e.name().indexOf('/', prefix.length()) < 0) {
        inner.add(e.name().substring(prefix.length()));
      }
    }
    return choose(inner, wanted, zip) != null;
  }

  private static List<String> fileNames(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).toList();
    } catch (IOException e) {
      throw new FoveaException("cannot list " + dir + " (" + e.getMessage() + "); check that the "
          + "folder is readable", e);
    }
  }

  private static List<Path> subfolders(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isDirectory).filter(p -> {
        String n = p.getFileName().toString();
        return !IGNORED.contains(n) && !n.startsWith(".");
      }).toList();
    } catch (IOException e) {
      throw new FoveaException("cannot list " + dir + " (" + e.getMessage() + "); check that the "
          + "folder is readable", e);
    }
  }
}
