#@ String (label="Model", value="nuclei-dilated") model
#@ Integer (label="Image side (px)", value=3072) size
#@output Integer count
#@output Long computed
#@output Integer tiles

// Fovea on an ImgLib2 image that is not an ImagePlus: a virtual image, generated on the fly and
// never held in memory, is segmented lazily; only the tile under the region we look at runs.
//   ./fovea script macros/lazy_imglib2.groovy size=3072
import net.imglib2.FinalInterval
import net.imglib2.position.FunctionRandomAccessible
import net.imglib2.type.numeric.real.FloatType
import net.imglib2.view.Views
import org.fovea.models.ModelRequest
import org.fovea.ops.instances.InstanceParams
import org.fovea.plugins.Fovea

// bright discs (radius 12) on a 64-pixel grid over a dim, textured background
def discs = new FunctionRandomAccessible<FloatType>(2, { pos, v ->
  long x = pos.getLongPosition(0), y = pos.getLongPosition(1)
  double r = Math.hypot((x % 64) - 32, (y % 64) - 32)
  v.setReal(r < 12 ? 1000 + (x * 7 + y * 13) % 97 : 100 + (x * 3 + y * 5) % 31)
} as java.util.function.BiConsumer, { new FloatType() } as java.util.function.Supplier)
def image = Views.interval(discs, new FinalInterval(size, size))

// fovea.segment on a RandomAccessibleInterval: lazy, x, y, class
def request = ModelRequest.builder().setModel(model).optTile(512).build()
def probabilities = Fovea.segment(image, request)

// look at one 512-pixel region: only the tile that holds it is computed
def region = Views.interval(probabilities.image(),
    new FinalInterval([1024, 1024, 0] as long[], [1535, 1535, probabilities.classes() - 1] as long[]))
def labels = Fovea.instances(region, InstanceParams.defaults())
count = 0
for (def px : Views.iterable(labels)) {
  count = Math.max(count, px.get())
}
computed = probabilities.computed()
tiles = probabilities.tiles()
println "${count} objects in the region; ${computed} of ${tiles} tiles computed"
