package org.fovea.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium opens every page of the built site from a local web server: every page loads
 * with a title and a heading, every link inside the site answers 200, every image is decoded, and
 * the server was never asked for a missing file. Screenshots go to {@code target/screenshots/}.
 */
class SiteBrowserIT {

  private static final Path SITE = Path.of(System.getProperty("fovea.site"));
  private static final Path SHOTS = Path.of(System.getProperty("fovea.screenshots"));
  private static final String CHROMIUM = "/usr/bin/chromium";
  private static final String DRIVER = "/usr/bin/chromedriver";

  private static HttpServer server;
  private static final List<String> missing = new CopyOnWriteArrayList<>();
  private static String base;

  @BeforeAll
  static void serve() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", ex -> {
      String p = ex.getRequestURI().getPath();
      Path f = SITE.resolve(p.substring(1).isEmpty() ? "index.html" : p.substring(1)).normalize();
      if (!f.startsWith(SITE) || !Files.isRegularFile(f)) {
        missing.add(p);
        ex.sendResponseHeaders(404, -1);
        ex.close();
        return;
      }
      String type = p.endsWith(".html") ? "text/html; charset=utf-8" : p.endsWith(".css")
          ? "text/css" : p.endsWith(".png") ? "image/png" : "application/octet-stream";
      ex.getResponseHeaders().add("Content-Type", type);
      byte[] b = Files.readAllBytes(f);
      ex.sendResponseHeaders(200, b.length);
      try (OutputStream o = ex.getResponseBody()) {
        o.write(b);
      }
    });
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private static ChromeDriver browser() {
    boolean present = Files.isExecutable(Path.of(CHROMIUM)) && Files.isExecutable(Path.of(DRIVER));
    if (System.getenv("CI") == null) {
      assumeTrue(present, "chromium and chromium-driver are not installed (apt-get install chromium"
          + " chromium-driver); outside CI the browser test is skipped");
    }
    ChromeOptions o = new ChromeOptions();
    o.setBinary(CHROMIUM);
    o.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
        "--window-size=1400,1000", "--user-data-dir=" + SHOTS.resolveSibling("chromium-profile"));
    ChromeDriverService s = new ChromeDriverService.Builder()
        .usingDriverExecutable(Path.of(DRIVER).toFile()).usingAnyFreePort().build();
    ChromeDriver d = new ChromeDriver(s, o);
    d.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
    return d;
  }

  @Test
  void everyPageLoadsWithWorkingLinksAndImages() throws Exception {
    Files.createDirectories(SHOTS);
    ChromeDriver d = browser();
    try {
      d.get(base + "index.html");
      List<String> pages = new ArrayList<>();
      for (WebElement a : d.findElements(By.cssSelector("nav li a"))) {
        pages.add(a.getAttribute("href"));
      }
      long mdPages;
      try (var s = Files.list(SITE.getParent().getParent().resolve("pages"))) {
        mdPages = s.filter(f -> f.toString().endsWith(".md")).count();
      }
      assertEquals(mdPages, pages.size(), "the navigation lists every page: " + pages);
      Set<String> links = new LinkedHashSet<>();
      int images = 0;
      for (String url : pages) {
        d.get(url);
        assertTrue(d.getTitle().endsWith("· Fovea"), url + " has title '" + d.getTitle() + "'");
        assertTrue(!d.findElements(By.tagName("h1")).isEmpty(), url + " has no heading");
        for (WebElement a : d.findElements(By.cssSelector("a[href]"))) {
          String href = a.getAttribute("href");
          if (href.startsWith(base)) {
            links.add(href.replaceFirst("#.*$", ""));
          }
        }
        for (WebElement img : d.findElements(By.tagName("img"))) {
          Object ok = ((JavascriptExecutor) d).executeScript(
              "return arguments[0].complete && arguments[0].naturalWidth > 0;", img);
          assertEquals(Boolean.TRUE, ok, url + ": image " + img.getAttribute("src") + " did not load");
          images++;
        }
        String name = url.substring(url.lastIndexOf('/') + 1).replace(".html", "");
        Files.write(SHOTS.resolve(name + ".png"), ((TakesScreenshot) d).getScreenshotAs(OutputType.BYTES));
      }
      for (String link : links) {
        HttpURLConnection c = (HttpURLConnection) URI.create(link).toURL().openConnection();
        assertEquals(200, c.getResponseCode(), "broken link " + link);
        c.disconnect();
      }
      assertTrue(images >= 5, "only " + images + " images on the site");
      assertEquals(List.of(), missing, "files the pages asked for but the site lacks");
      assertTrue(Files.size(SHOTS.resolve("index.png")) > 50_000, "home page screenshot too small");
    } finally {
      d.quit();
    }
  }
}
