package org.fovea.ops.tiling;

/**
 * A {@link PlaneSource} whose size is fixed when it is made: implementations only read.
 *
 * @since 0.1.0
 */
public abstract class SizedPlaneSource implements PlaneSource {

  private final long height;
  private final long width;
  private final int channels;

  /**
   * @param height rows
   * @param width columns
   * @param channels channels
   */
  protected SizedPlaneSource(long height, long width, int channels) {
    this.height = height;
    this.width = width;
    this.channels = channels;
  }

  @Override
  public final long height() {
    return height;
  }

  @Override
  public final long width() {
    return width;
  }

  @Override
  public final int channels() {
    return channels;
  }
}
