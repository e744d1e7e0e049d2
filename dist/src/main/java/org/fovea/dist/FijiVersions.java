package org.fovea.dist;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The library versions Fiji ships, as {@code org.scijava:pom-scijava} manages them, and the check
 * that Fovea's update site neither duplicates nor replaces one of them.
 *
 * <p>A jar whose artifact pom-scijava manages is Fiji's: at the managed version it stays off the
 * site (Fiji has it); at another version it is a <b>conflict</b> (two versions of one library in
 * one Fiji), which fails the build unless it is listed, with the reason, as an override.
 *
 * @since 0.3.0
 */
public final class FijiVersions {

  /**
   * What becomes of one jar.
   *
   * @param jar the file name
   * @param artifact {@code groupId:artifactId}, or null when the jar does not say
   * @param version Fovea's version of it
   * @param fiji the version pom-scijava manages, or null
   * @param decision {@code site} (Fovea's own, or not managed), {@code fiji} (Fiji ships it: kept
   *     off the site), {@code override} (a listed newer version) or {@code conflict}
   */
  public record Jar(String jar, String artifact, String version, String fiji, String decision) {}

  private final Map<String, String> managed;

  private FijiVersions(Map<String, String> managed) {
    this.managed = managed;
  }

  /**
   * @param managed {@code groupId:artifactId} to version
   * @return the versions
   */
  public static FijiVersions of(Map<String, String> managed) {
    return new FijiVersions(Map.copyOf(managed));
  }

  /**
   * @param pom the {@code pom-scijava} POM
   * @return the versions its {@code dependencyManagement} gives (properties resolved)
   * @throws IOException when it cannot be read
   */
  public static FijiVersions read(Path pom) throws IOException {
    Document d;
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      d = f.newDocumentBuilder().parse(pom.toFile());
    } catch (Exception e) {
      throw new IOException("cannot read " + pom + ": " + e.getMessage(), e);
    }
    Element project = d.getDocumentElement();
    Map<String, String> props = new LinkedHashMap<>();
    Element p = child(project, "properties");
    if (p != null) {
      NodeList l = p.getChildNodes();
      for (int i = 0; i < l.getLength(); i++) {
        if (l.item(i) instanceof Element e) {
          props.put(e.getTagName(), e.getTextContent().trim());
        }
      }
    }
    Map<String, String> managed = new TreeMap<>();
    Element dm = child(project, "dependencyManagement");
    Element deps = dm == null ? null : child(dm, "dependencies");
    if (deps != null) {
      NodeList l = deps.getElementsByTagName("dependency");
      for (int i = 0; i < l.getLength(); i++) {
        Element e = (Element) l.item(i);
        if (e.getParentNode() != deps) {
          continue;
        }
        String g = resolve(text(e, "groupId"), props);
        String a = resolve(text(e, "artifactId"), props);
        String v = resolve(text(e, "version"), props);
        if (g != null && a != null && v != null && !v.contains("${")) {
          managed.put(g + ":" + a, v);
        }
      }
    }
    return new FijiVersions(managed);
  }

  private static Element child(Element e, String tag) {
    for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element c && c.getTagName().equals(tag)) {
        return c;
      }
    }
    return null;
  }

  private static String text(Element e, String tag) {
    Element c = child(e, tag);
    return c == null ? null : c.getTextContent().trim();
  }

  private static final Pattern PROPERTY = Pattern.compile("\\$\\{([^}]+)}");

  private static String resolve(String s, Map<String, String> props) {
    if (s == null) {
      return null;
    }
    String r = s;
    for (int depth = 0; depth < 10 && r.contains("${"); depth++) {
      Matcher m = PROPERTY.matcher(r);
      StringBuilder b = new StringBuilder();
      while (m.find()) {
        String v = props.get(m.group(1));
        m.appendReplacement(b, Matcher.quoteReplacement(v == null ? m.group() : v));
      }
      m.appendTail(b);
      if (b.toString().equals(r)) {
        break;
      }
      r = b.toString();
    }
    return r;
  }

  /** @return {@code groupId:artifactId} to the managed version */
  public Map<String, String> managed() {
    return managed;
  }

  /**
   * @param jars the jars meant for the update site
   * @param overrides {@code groupId:artifactId} to the reason Fovea needs another version than
   *     Fiji's
   * @return one row per jar
   * @throws IOException when a jar cannot be read
   */
  public List<Jar> check(List<Path> jars, Map<String, String> overrides) throws IOException {
    List<Jar> rows = new ArrayList<>();
    for (Path j : jars) {
      String[] id = identify(j);
      if (id == null) {
        id = byName(j.getFileName().toString());
      }
      String artifact = id == null ? null : id[0] + ":" + id[1];
      String version = id == null ? null : id[2];
      String fiji = artifact == null ? null : managed.get(artifact);
      String decision = fiji == null ? "site" : fiji.equals(version) ? "fiji"
          : overrides.containsKey(artifact) ? "override" : "conflict";
      rows.add(new Jar(j.getFileName().toString(), artifact, version, fiji, decision));
    }
    return rows;
  }

  /**
   * @param rows the check's rows
   * @return the sentence for the conflicts, or null when there are none
   */
  public static String conflicts(List<Jar> rows) {
    List<String> c = rows.stream().filter(r -> r.decision().equals("conflict"))
        .map(r -> r.artifact() + " " + r.version() + " (Fiji ships " + r.fiji() + ", in "
            + r.jar() + ")").toList();
    return c.isEmpty() ? null : "the update site would put another version of a library Fiji"
        + " ships into Fiji: " + String.join("; ", c) + ". Use Fiji's version (pom-scijava manages"
        + " it), or list the artifact with the reason in dist/fiji-overrides.properties and the"
        + " README";
  }

  /** {groupId, artifactId, version} of a managed artifact named like the jar, or null. */
  private String[] byName(String name) {
    String[] found = null;
    for (String ga : managed.keySet()) {
      String a = ga.substring(ga.indexOf(':') + 1);
      if (name.startsWith(a + "-") && name.endsWith(".jar")
          && (found == null || a.length() > found[1].length())) {
        found = new String[] {ga.substring(0, ga.indexOf(':')), a,
            name.substring(a.length() + 1, name.length() - 4)};
      }
    }
    return found;
  }

  /** {groupId, artifactId, version} from the jar's Maven metadata, or null. */
  static String[] identify(Path jar) throws IOException {
    String name = jar.getFileName().toString();
    try (JarFile j = new JarFile(jar.toFile())) {
      String[] best = null;
      for (JarEntry e : java.util.Collections.list(j.entries())) {
        if (!e.getName().startsWith("META-INF/maven/") || !e.getName().endsWith("/pom.properties")) {
          continue;
        }
        Properties p = new Properties();
        try (InputStream in = j.getInputStream(e)) {
          p.load(in);
        }
        String[] id = {p.getProperty("groupId"), p.getProperty("artifactId"),
            p.getProperty("version")};
        if (id[0] == null || id[1] == null || id[2] == null) {
          continue;
        }
        if (name.startsWith(id[1] + "-" + id[2])) {
          return id; // the jar's own, not a shaded library's
        }
        best = best == null ? id : best;
      }
      return best;
    }
  }
}
