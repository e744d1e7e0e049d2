package org.fovea.models.pkg;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import org.fovea.ops.net.FoveaException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Loads a model description as plain YAML: maps, lists, text, numbers, booleans and nulls.
 *
 * <p>Any tag that would construct another type is refused before anything is constructed, as are
 * recursive structures, more than {@value #MAX_ALIASES} aliases to collections (billion-laughs
 * expansions), nesting deeper than {@value #MAX_DEPTH}, duplicate keys and files larger than
 * {@value #MAX_CODE_POINTS} characters.
 */
final class SafeYaml {

  /** The most aliases to collections a description may use. */
  static final int MAX_ALIASES = 50;
  /** The deepest nesting a description may use. */
  static final int MAX_DEPTH = 64;
  /** The largest description, in characters (and bytes). */
  static final int MAX_CODE_POINTS = 8 * 1024 * 1024;

  private static final Set<Tag> PLAIN = Set.of(Tag.STR, Tag.INT, Tag.FLOAT, Tag.BOOL, Tag.NULL,
      Tag.MAP, Tag.SEQ, Tag.TIMESTAMP, Tag.MERGE, Tag.BINARY);

  private SafeYaml() {}

  /**
   * @param file a YAML file whose top level is a map
   * @return the map
   * @throws FoveaException naming the file for unreadable, invalid or unsafe YAML
   */
  static Map<String, Object> load(Path file) {
    String text = readText(file);
    Node root;
    try {
      root = yaml(true).compose(new java.io.StringReader(text));
    } catch (MarkedYAMLException e) {
      throw invalid(file, e);
    } catch (YAMLException e) {
      throw tooComplex(file, e);
    }
    if (root == null) {
      throw new FoveaException("rdf.yaml at " + file + " is empty; give the package's model "
          + "description (see bioimage.io)");
    }
    checkTags(file, root);
    Object data;
    try {
      data = yaml(false).load(text);
    } catch (MarkedYAMLException e) {
      throw invalid(file, e);
    } catch (YAMLException e) {
      throw tooComplex(file, e);
    }
    if (!(data instanceof Map<?, ?> m)) {
      throw new FoveaException("rdf.yaml at " + file + " does not hold a map of fields at its top "
          + "level; give a bioimage.io model description");
    }
    for (Object k : m.keySet()) {
      if (!(k instanceof String)) {
        throw new FoveaException("rdf.yaml at " + file + " has a top-level key that is not text ("
            + k + "); give a bioimage.io model description");
      }
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> r = (Map<String, Object>) m;
    return r;
  }

  /**
   * @param compose true to only compose nodes (any tag passes, for {@link #checkTags} to name it),
   *     false to construct values (global tags are refused once more)
   */
  private static Yaml yaml(boolean compose) {
    LoaderOptions o = new LoaderOptions();
    o.setAllowDuplicateKeys(false);
    o.setAllowRecursiveKeys(false);
    o.setMaxAliasesForCollections(MAX_ALIASES);
    o.setNestingDepthLimit(MAX_DEPTH);
    o.setCodePointLimit(MAX_CODE_POINTS);
    o.setTagInspector(tag -> compose);
    return new Yaml(new SafeConstructor(o));
  }

  private static String readText(Path file) {
    try {
      if (Files.size(file) > MAX_CODE_POINTS) {
        throw new FoveaException("rdf.yaml at " + file + " is larger than " + MAX_CODE_POINTS
            + " bytes, too large for a model description; check that this is the right file");
      }
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
    } catch (CharacterCodingException e) {
      throw new FoveaException("rdf.yaml at " + file + " is not UTF-8 text; save it as UTF-8", e);
    } catch (IOException e) {
      throw new FoveaException("cannot read rdf.yaml at " + file + " (" + e.getMessage()
          + "); check that the file exists and is readable", e);
    }
  }

  private static void checkTags(Path file, Node root) {
    Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    Set<Node> onPath = Collections.newSetFromMap(new IdentityHashMap<>());
    Deque<Object> stack = new ArrayDeque<>();
    stack.push(root);
    // iterative depth-first walk; a Node marker is pushed again (wrapped) to leave the path
    while (!stack.isEmpty()) {
      Object top = stack.pop();
      if (top instanceof Leave l) {
        onPath.remove(l.node);
        continue;
      }
      Node n = (Node) top;
      if (onPath.contains(n)) {
        throw new FoveaException("rdf.yaml at " + file + " holds a recursive structure (an alias "
            + "inside its own anchor, line " + line(n.getStartMark()) + "); model packages may "
            + "hold only plain YAML, so remove the alias");
      }
      if (!seen.add(n)) {
        continue;
      }
      if (!PLAIN.contains(n.getTag())) {
        throw new FoveaException("rdf.yaml at " + file + " uses a YAML tag that constructs a Java "
            + "type (" + shortTag(n.getTag()) + " at line " + line(n.getStartMark()) + "); model packages "
            + "may hold only plain YAML, so remove the tag or get the package from a trusted "
            + "source");
      }
      onPath.add(n);
      stack.push(new Leave(n));
      if (n instanceof MappingNode m) {
        for (NodeTuple t : m.getValue()) {
          stack.push(t.getValueNode());
          stack.push(t.getKeyNode());
        }
      } else if (n instanceof SequenceNode s) {
        for (Node c : s.getValue()) {
          stack.push(c);
        }
      }
    }
  }

  private static String shortTag(Tag t) {
    String v = t.getValue();
    return v.startsWith(Tag.PREFIX) ? "!!" + v.substring(Tag.PREFIX.length()) : v;
  }

  /** Marks the end of a node's subtree in the walk. */
  private record Leave(Node node) {}

  private static String line(Mark m) {
    return m == null ? "?" : String.valueOf(m.getLine() + 1);
  }

  private static FoveaException invalid(Path file, MarkedYAMLException e) {
    Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
    String at = m == null ? "" : " at line " + (m.getLine() + 1) + ", column " + (m.getColumn() + 1);
    String problem = e.getProblem() == null ? e.getMessage() : e.getProblem();
    return new FoveaException("rdf.yaml at " + file + " is not valid YAML (" + problem + at
        + "); fix the file or re-export the package", e);
  }

  private static FoveaException tooComplex(Path file, YAMLException e) {
    return new FoveaException("rdf.yaml at " + file + " is refused as unsafe YAML (" + e.getMessage()
        + "); model packages may hold only plain YAML without alias bombs or deep nesting, so "
        + "get the package from a trusted source", e);
  }
}
