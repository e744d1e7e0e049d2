package org.fovea.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipFile;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The update sites {@code mvn package} builds: every {@code db.xml.gz} parses, every file it
 * lists is there under its timestamped name with the stated size and with the checksum that the
 * updater would compute (re-computed here by {@link UpdaterChecksumTest}'s second reading of the
 * comment filter), no jar Fiji ships is on a site, and the plugin jar is not where ImageJ 1 would
 * read its {@code plugins.config} (so each command is in Fiji's menus once).
 */
class UpdateSiteIT {

  private static final Path SITES = Path.of(System.getProperty("fovea.dist")).resolve(
      "update-site");

  private static Document db(Path site) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    try (InputStream in = new GZIPInputStream(Files.newInputStream(site.resolve("db.xml.gz")))) {
      return f.newDocumentBuilder().parse(in);
    }
  }

  /** The updater's checksum, computed apart from {@link UpdaterChecksum}. */
  private static String checksum(String path, Path file) throws Exception {
    java.security.MessageDigest d = java.security.MessageDigest.getInstance("SHA-1");
    if (!path.endsWith(".jar")) {
      d.update(path.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      try (InputStream in = new java.security.DigestInputStream(Files.newInputStream(file), d)) {
        in.transferTo(java.io.OutputStream.nullOutputStream());
      }
    } else {
      try (ZipFile z = new ZipFile(file.toFile())) {
        List<String> names = new ArrayList<>();
        z.stream().forEach(e -> names.add(e.getName()));
        java.util.Collections.sort(names);
        for (String n : names) {
          d.update(n.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
          if (n.equals("META-INF/MANIFEST.MF")) {
            continue;
          }
          try (InputStream in = z.getInputStream(z.getEntry(n))) {
            if (n.endsWith(".properties")) {
              d.update(new UpdaterChecksumTest.CommentStream(in.readAllBytes()).all());
            } else {
              in.transferTo(new java.security.DigestOutputStream(
                  java.io.OutputStream.nullOutputStream(), d));
            }
          }
        }
      }
    }
    return java.util.HexFormat.of().formatHex(d.digest());
  }

  @Test
  void everyListedFileIsThereWithItsSizeAndTheUpdatersChecksum() throws Exception {
    for (String name : List.of("Fovea", "Fovea-PyTorch", "Fovea-TensorFlow")) {
      Path site = SITES.resolve(name);
      NodeList plugins = db(site).getDocumentElement().getElementsByTagName("plugin");
      assertTrue(plugins.getLength() > 0, name);
      Set<String> listed = new HashSet<>();
      for (int i = 0; i < plugins.getLength(); i++) {
        Element p = (Element) plugins.item(i);
        String file = p.getAttribute("filename");
        Element v = (Element) p.getElementsByTagName("version").item(0);
        Path f = site.resolve(file + "-" + v.getAttribute("timestamp"));
        assertTrue(Files.isRegularFile(f), f.toString());
        assertEquals(Long.parseLong(v.getAttribute("filesize")), Files.size(f), file);
        assertEquals(checksum(file, f), v.getAttribute("checksum"), file);
        assertTrue(v.getAttribute("timestamp").matches("\\d{14}"), file);
        assertFalse(file.startsWith("plugins/"), "ImageJ 1 would read its plugins.config: " + file);
        listed.add(file + "-" + v.getAttribute("timestamp"));
      }
      // nothing on the site that db.xml.gz does not list
      try (var s = Files.walk(site)) {
        List<String> files = s.filter(Files::isRegularFile).map(q -> site.relativize(q)
            .toString().replace('\\', '/')).filter(q -> !q.equals("db.xml.gz")).toList();
        assertEquals(new HashSet<>(files), listed, name);
      }
    }
  }

  @Test
  void thePluginNeedsItsLibrariesAndFijisOwnJarsStayOff() throws Exception {
    Element root = db(SITES.resolve("Fovea")).getDocumentElement();
    NodeList plugins = root.getElementsByTagName("plugin");
    Set<String> files = new HashSet<>();
    Element plugin = null;
    for (int i = 0; i < plugins.getLength(); i++) {
      Element p = (Element) plugins.item(i);
      files.add(p.getAttribute("filename"));
      if (p.getAttribute("filename").startsWith("jars/fovea-plugins-")) {
        plugin = p;
      }
    }
    assertTrue(plugin != null, files.toString());
    NodeList deps = plugin.getElementsByTagName("dependency");
    assertTrue(deps.getLength() >= 5, "fovea-ops, -models, -io, -cli and onnxruntime at least");
    for (int i = 0; i < deps.getLength(); i++) {
      assertTrue(files.contains(((Element) deps.item(i)).getAttribute("filename")));
    }
    String report = Files.readString(SITES.resolve("dependencies.txt"));
    for (String line : report.lines().skip(1).toList()) {
      String[] c = line.split("\t");
      if (c[5].equals("fiji")) {
        assertFalse(files.stream().anyMatch(f -> f.endsWith("/" + c[1])), line);
      }
      assertFalse(c[5].equals("conflict"), line);
    }
    assertTrue(report.contains("\tgson-"), "gson is Fiji's: " + report);
  }
}
