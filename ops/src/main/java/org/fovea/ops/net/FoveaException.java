package org.fovea.ops.net;

/**
 * The one exception Fovea throws for a failure a user can act on. Its message is a sentence that
 * names the file or value at fault and what to do about it.
 *
 * @since 0.1.0
 */
public class FoveaException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** @param message one sentence: what is wrong, where, and the fix */
  public FoveaException(String message) {
    super(message);
  }

  /**
   * @param message one sentence: what is wrong, where, and the fix
   * @param cause the underlying failure
   */
  public FoveaException(String message, Throwable cause) {
    super(message, cause);
  }
}
