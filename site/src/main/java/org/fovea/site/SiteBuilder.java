package org.fovea.site;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.commonmark.Extension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * Builds the documentation site: every {@code pages/NN-name.md} becomes {@code name.html} (the
 * number orders the navigation; the first {@code # } heading is its title; {@code index} is the
 * home page), inside {@code template.html}, with {@code style.css} beside it. Figures come from
 * {@code figures.txt} ({@link Figures}), made by running Fovea before the pages are written.
 *
 * <p>A page can pull in another file with a line {@code <!-- include PATH -->} (relative to the
 * repository root; {@code .md} is inlined as markdown, anything else as a code block), such as
 * {@code BENCHMARKS.md} or a command's output in {@code site/target/site/figures/}.
 *
 * <p>Usage: {@code SiteBuilder SITE_DIR OUT_DIR}.
 */
public final class SiteBuilder {

  private static final Pattern INCLUDE = Pattern.compile("(?m)^<!-- include (\\S+) -->$");
  private static final Pattern IMAGE = Pattern.compile("<img src=\"([^\"]+)\"");

  private SiteBuilder() {}

  /** A page: its source, its output name and its title. */
  record Page(Path source, String file, String title) {}

  /**
   * @param args the site folder and the output folder
   * @throws IOException when a file cannot be read or written
   */
  public static void main(String[] args) throws IOException {
    long t0 = System.nanoTime();
    Path site = Path.of(args[0]).toAbsolutePath().normalize();
    Path out = Path.of(args[1]).toAbsolutePath().normalize();
    Path root = site.getParent();
    Path work = out.resolveSibling("site-work");
    Files.createDirectories(work);
    Files.createDirectories(out);
    new Figures(root, work, out.resolve("figures")).makeAll(site.resolve("figures.txt"));
    List<Page> pages = pages(site.resolve("pages"));
    String template = Files.readString(site.resolve("template.html"), StandardCharsets.UTF_8);
    List<Extension> ext = List.of(TablesExtension.create());
    Parser parser = Parser.builder().extensions(ext).build();
    HtmlRenderer renderer = HtmlRenderer.builder().extensions(ext).build();
    for (Page p : pages) {
      String md = includes(Files.readString(p.source(), StandardCharsets.UTF_8), root, out);
      String body = renderer.render(parser.parse(md));
      Matcher img = IMAGE.matcher(body);
      while (img.find()) {
        if (!img.group(1).startsWith("http") && !Files.exists(out.resolve(img.group(1)))) {
          throw new IllegalStateException(p.source() + " shows " + img.group(1)
              + ", which no line of figures.txt makes: add one");
        }
      }
      String html = template.replace("{{title}}", escape(p.title()))
          .replace("{{nav}}", nav(pages, p)).replace("{{content}}", body);
      write(out.resolve(p.file()), html);
    }
    Files.copy(site.resolve("style.css"), out.resolve("style.css"),
        StandardCopyOption.REPLACE_EXISTING);
    System.out.printf(Locale.ROOT, "site: %d pages in %s (%.1f s)%n", pages.size(), out,
        (System.nanoTime() - t0) / 1e9);
  }

  /** The pages in navigation order. */
  static List<Page> pages(Path dir) throws IOException {
    List<Page> l = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.filter(f -> f.toString().endsWith(".md")).sorted().toList()) {
        String base = p.getFileName().toString().replaceFirst("^\\d+-", "").replaceFirst("\\.md$", "");
        String title = Files.readAllLines(p, StandardCharsets.UTF_8).stream()
            .filter(x -> x.startsWith("# ")).findFirst().map(x -> x.substring(2).strip())
            .orElseThrow(() -> new IllegalStateException(p + " has no '# title' line"));
        l.add(new Page(p, base + ".html", title));
      }
    }
    return l;
  }

  private static String includes(String md, Path root, Path out) throws IOException {
    Matcher m = INCLUDE.matcher(md);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String target = m.group(1);
      Path f = target.startsWith("figures/") ? out.resolve(target) : root.resolve(target);
      String text = Files.readString(f, StandardCharsets.UTF_8);
      String repl = target.endsWith(".md") ? text.replaceFirst("(?s)^# [^\n]*\n", "")
          : "```\n" + text.stripTrailing() + "\n```";
      m.appendReplacement(sb, Matcher.quoteReplacement(repl));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  private static String nav(List<Page> pages, Page current) {
    StringBuilder sb = new StringBuilder("<ul>\n");
    for (Page p : pages) {
      sb.append("<li").append(p == current ? " class=\"current\"" : "").append("><a href=\"")
          .append(p.file()).append("\">").append(escape(p.title())).append("</a></li>\n");
    }
    return sb.append("</ul>").toString();
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static void write(Path p, String s) throws IOException {
    Path tmp = p.resolveSibling(p.getFileName() + ".part");
    Files.writeString(tmp, s, StandardCharsets.UTF_8);
    Files.move(tmp, p, StandardCopyOption.REPLACE_EXISTING);
  }
}
