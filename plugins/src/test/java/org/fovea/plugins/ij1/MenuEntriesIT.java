package org.fovea.plugins.ij1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fovea.plugins.ij1.ImageJInstall.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each command once in plain ImageJ 1 (real {@code ij.jar}, under Xvfb): it registers the bridge's
 * menu entries, once each, from the plugin jar in {@code plugins/}, and none from the same jar in
 * {@code jars/}. (Fiji's imagej-legacy does read {@code plugins.config} from {@code jars/}, and
 * lets the SciJava commands of the same names take the entries over: {@code LegacyMenusTest}.)
 */
class MenuEntriesIT {

  private static final List<String> COMMANDS = List.of("Fovea About", "Fovea Instance Masks",
      "Fovea Match Labels", "Fovea Receptive Field Overlay", "Fovea Receptive Field Table",
      "Fovea Saliency Map", "Fovea Segment");

  private static List<String> commands(Run r) {
    Matcher m = Pattern.compile("COMMAND>>([^=]+)=").matcher(r.output());
    List<String> l = new java.util.ArrayList<>();
    while (m.find()) {
      l.add(m.group(1));
    }
    return l;
  }

  @Test
  void thePluginsFolderRegistersEachCommandOnceAndTheUpdateSiteLayoutNone(@TempDir Path tmp)
      throws Exception {
    assumeTrue(ImageJInstall.possible(),
        "xvfb-run is missing (apt-get install xvfb); outside CI the ImageJ tests are skipped");
    ImageJInstall plain = ImageJInstall.in(tmp.resolve("plain"));
    Run a = plain.run(MenusProbe.class.getName());
    assertTrue(a.output().contains("COMMANDS>>"), a.output());
    assertEquals(COMMANDS, commands(a), a.output());
    assertTrue(a.output().contains("Fovea Segment=org.fovea.plugins.ij1.FoveaBridge(\"segment\")"),
        a.output());

    // the update site's layout: the same jar under jars/ (as db.xml.gz lists it), plugins/ empty
    ImageJInstall site = ImageJInstall.in(tmp.resolve("site"));
    try (var s = Files.list(site.home().resolve("plugins"))) {
      for (Path jar : s.toList()) {
        Files.move(jar, site.home().resolve("jars").resolve("fovea-plugins.jar"));
      }
    }
    Run b = site.run(MenusProbe.class.getName());
    assertTrue(b.output().contains("COMMANDS>>0"), b.output());
  }
}
