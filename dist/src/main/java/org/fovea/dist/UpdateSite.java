package org.fovea.dist;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Builds Fovea's Fiji update sites from the Fiji.app folders {@code mvn package} lays out: {@code
 * update-site/Fovea} (Fovea and ONNX Runtime), {@code update-site/Fovea-PyTorch} and {@code
 * update-site/Fovea-TensorFlow} (the optional engines), each a folder to serve from any static
 * web server. A site holds {@code db.xml.gz} (the updater's index: one {@code plugin} record per
 * file with its checksum, timestamp, size, platform, description and dependencies) and every file
 * under its Fiji.app path with {@code -TIMESTAMP} appended, which is the name the updater
 * downloads ({@code SITE_URL + path + "-" + timestamp}).
 *
 * <p>Jars Fiji ships (those {@code pom-scijava} manages, at its version) stay off the sites; a
 * jar at another version than Fiji's fails the build ({@link FijiVersions}) unless it is listed,
 * with the reason, in {@code dist/fiji-overrides.properties}. {@code dependencies.txt} beside the
 * sites lists every jar with Fovea's and Fiji's version and what became of it.
 *
 * @since 0.3.0
 */
public final class UpdateSite {

  /** One site: its name and the Fiji.app folder it is made of. */
  record Site(String name, String folder, String description) {}

  static final List<Site> SITES = List.of(
      new Site("Fovea", "fiji", "Fovea: CNN segmentation, instances, saliency and receptive"
          + " fields for microscopy, with ONNX Runtime"),
      new Site("Fovea-PyTorch", "fiji-pytorch", "the PyTorch engine (DJL) for Fovea"),
      new Site("Fovea-TensorFlow", "fiji-tensorflow", "the TensorFlow engine (TensorFlow Java) for"
          + " Fovea"));

  private UpdateSite() {}

  /**
   * @param args the dist module's target folder, the pom-scijava POM, the overrides file
   * @throws Exception when a site cannot be written, or a jar conflicts with Fiji's
   */
  public static void main(String[] args) throws Exception {
    Path target = Path.of(args[0]);
    FijiVersions fiji = FijiVersions.read(Path.of(args[1]));
    Map<String, String> overrides = overrides(Path.of(args[2]));
    String timestamp = args.length > 3 ? args[3] : now();
    List<FijiVersions.Jar> all = build(target, fiji, overrides, timestamp);
    String conflict = FijiVersions.conflicts(all);
    if (conflict != null) {
      System.err.println("fovea update site: " + conflict);
      System.exit(1);
    }
    System.out.println("fovea update site: " + SITES.size() + " sites in "
        + target.resolve("update-site") + " (timestamp " + timestamp + ")");
  }

  /** @return the updater's timestamp form, {@code yyyyMMddHHmmss}, of now (UTC) */
  static String now() {
    return ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMddHHmmss",
        Locale.ROOT));
  }

  /**
   * @param file {@code artifact = reason} lines; may be missing
   * @return the overrides
   * @throws IOException when it exists but cannot be read
   */
  static Map<String, String> overrides(Path file) throws IOException {
    Map<String, String> m = new LinkedHashMap<>();
    if (Files.isRegularFile(file)) {
      Properties p = new Properties();
      try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        p.load(in);
      }
      p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
    }
    return m;
  }

  /**
   * Writes every site and {@code dependencies.txt}.
   *
   * @return the dependency check's rows of every site
   */
  static List<FijiVersions.Jar> build(Path target, FijiVersions fiji,
      Map<String, String> overrides, String timestamp) throws IOException, XMLStreamException {
    Path out = target.resolve("update-site");
    deleteTree(out);
    List<FijiVersions.Jar> rows = new ArrayList<>();
    List<String> report = new ArrayList<>();
    report.add("site\tjar\tartifact\tfovea\tfiji\tdecision");
    for (Site s : SITES) {
      Path folder = target.resolve(s.folder());
      if (!Files.isDirectory(folder)) {
        continue;
      }
      List<Path> files;
      try (Stream<Path> w = Files.walk(folder)) {
        files = w.filter(Files::isRegularFile).sorted().toList();
      }
      List<Path> jars = files.stream().filter(f -> f.toString().endsWith(".jar")).toList();
      List<FijiVersions.Jar> checked = fiji.check(jars, overrides);
      rows.addAll(checked);
      for (FijiVersions.Jar j : checked) {
        report.add(String.join("\t", s.name(), j.jar(), String.valueOf(j.artifact()),
            String.valueOf(j.version()), j.fiji() == null ? "-" : j.fiji(), j.decision()));
      }
      List<String> offSite = checked.stream().filter(j -> j.decision().equals("fiji"))
          .map(FijiVersions.Jar::jar).toList();
      List<Path> shipped = files.stream()
          .filter(f -> !offSite.contains(f.getFileName().toString())).toList();
      write(out.resolve(s.name()), s, folder, shipped, timestamp);
    }
    Files.createDirectories(out);
    Files.write(out.resolve("dependencies.txt"), report, StandardCharsets.UTF_8);
    return rows;
  }

  /** One site: its files under their timestamped names and its {@code db.xml.gz}. */
  static void write(Path site, Site s, Path folder, List<Path> files, String timestamp)
      throws IOException, XMLStreamException {
    Files.createDirectories(site);
    List<String[]> records = new ArrayList<>(); // path, checksum, size, platform
    for (Path f : files) {
      String path = fijiPath(folder.relativize(f).toString()
          .replace(f.getFileSystem().getSeparator(), "/"));
      Path dest = site.resolve(path + "-" + timestamp);
      Files.createDirectories(dest.getParent());
      try {
        Files.createLink(dest, f); // a hard link: the engines' natives are hundreds of MB
      } catch (IOException | UnsupportedOperationException e) {
        Files.copy(f, dest);
      }
      records.add(new String[] {path, UpdaterChecksum.of(path, f), Long.toString(Files.size(f)),
          platform(path)});
    }
    Path tmp = site.resolve("db.xml.gz.part");
    try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(tmp));
        Writer w = new java.io.OutputStreamWriter(o, StandardCharsets.UTF_8)) {
      XMLStreamWriter x = XMLOutputFactory.newInstance().createXMLStreamWriter(w);
      x.writeStartDocument("UTF-8", "1.0");
      x.writeCharacters("\n");
      x.writeStartElement("pluginRecords");
      List<String[]> jars = records.stream().filter(r -> r[0].startsWith("jars/")
          && !r[0].startsWith("jars/fovea-plugins-")).toList();
      for (String[] r : records) {
        x.writeCharacters("\n    ");
        x.writeStartElement("plugin");
        x.writeAttribute("filename", r[0]);
        if (r[3] != null) {
          x.writeCharacters("\n        ");
          x.writeStartElement("platform");
          x.writeCharacters(r[3]);
          x.writeEndElement();
        }
        x.writeCharacters("\n        ");
        x.writeStartElement("version");
        x.writeAttribute("checksum", r[1]);
        x.writeAttribute("timestamp", timestamp);
        x.writeAttribute("filesize", r[2]);
        String description = description(s, r[0]);
        if (description != null) {
          x.writeCharacters("\n            ");
          x.writeStartElement("description");
          x.writeCharacters(description);
          x.writeEndElement();
        }
        if (r[0].startsWith("jars/fovea-plugins-")) {
          // the plugin needs every library of its site
          for (String[] j : jars) {
            x.writeCharacters("\n            ");
            x.writeEmptyElement("dependency");
            x.writeAttribute("filename", j[0]);
            x.writeAttribute("timestamp", timestamp);
          }
        }
        x.writeCharacters("\n        ");
        x.writeEndElement();
        x.writeCharacters("\n    ");
        x.writeEndElement();
      }
      x.writeCharacters("\n");
      x.writeEndElement();
      x.writeCharacters("\n");
      x.writeEndDocument();
      x.close();
    }
    Files.move(tmp, site.resolve("db.xml.gz"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * Where a file goes in Fiji. The plugin jar ({@code plugins/Fovea_-V.jar} in the folder for
   * plain ImageJ 1, where its {@code plugins.config} makes the menu entries) goes to {@code
   * jars/fovea-plugins-V.jar}: ImageJ 1 reads {@code plugins.config} only from {@code plugins/},
   * so in Fiji the SciJava commands are the menu entries and macro names, each once.
   */
  static String fijiPath(String path) {
    if (path.startsWith("plugins/Fovea_-") && path.endsWith(".jar")) {
      return "jars/fovea-plugins-" + path.substring("plugins/Fovea_-".length());
    }
    return path;
  }

  private static String description(Site s, String path) {
    if (path.startsWith("jars/fovea-plugins-")) {
      return s.description();
    }
    String name = path.substring(path.lastIndexOf('/') + 1);
    return name.startsWith("fovea-") ? s.description() + ": the " + name.replaceAll("-[0-9].*",
        "") + " library" : null;
  }

  /** The updater's platform of a file, from its folder ({@code jars/linux64/...}), or null. */
  static String platform(String path) {
    String[] parts = path.split("/");
    if (parts.length > 2 && (parts[0].equals("jars") || parts[0].equals("lib"))) {
      return switch (parts[1]) {
        case "linux64", "linux-arm64", "macos64", "macos-arm64", "macosx", "win64", "win32",
            "win-arm64", "linux32" -> parts[1];
        default -> null;
      };
    }
    return null;
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(q);
      }
    }
  }
}
