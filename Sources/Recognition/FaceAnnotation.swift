import Alignment
import Vision

/// The marks `--annotate` draws for a face, in photos and in videos: its box and a label above it, green for
/// a name and red for unknown.
enum FaceAnnotation {
    static func draw(_ box: FaceBox, label: String, named: Bool, on canvas: inout Canvas, thickness: Int, textScale: Double) {
        let color = named ? RGB(40, 200, 60) : RGB(220, 40, 40)
        canvas.strokeRectangle(x0: Int(box.x1), y0: Int(box.y1), x1: Int(box.x2), y1: Int(box.y2), color: color, thickness: thickness)
        canvas.text(label, x: Int(box.x1), y: max(12, Int(box.y1) - 4), scale: textScale, color: color, thickness: max(1, thickness / 2))
    }
}
