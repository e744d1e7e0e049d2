package org.fovea.ops.tiling;

import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.img.cell.Cell;
import net.imglib2.img.cell.CellGrid;
import net.imglib2.img.cell.LazyCellImg;
import net.imglib2.type.numeric.real.FloatType;

/**
 * A lazy float cell image that names its access type without computing a cell. {@link
 * LazyCellImg} inherits {@code NativeImg.getAccessType()}, which opens a cursor and so computes
 * the first cell; {@code PrimitiveBlocks.of} asks for it, so copying one tile of a lazy output
 * would also run the network on tile 0.
 */
final class FloatCells extends LazyCellImg<FloatType, FloatArray> {

  FloatCells(CellGrid grid, Get<Cell<FloatArray>> get) {
    super(grid, new FloatType(), get);
  }

  @Override
  public FloatArray getAccessType() {
    return new FloatArray(0);
  }
}
