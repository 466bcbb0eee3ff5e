import Foundation

/// A plain line chart (linear axes, one or more series) for training curves: loss and validation accuracy
/// against the step. Produces the same backend-neutral `ChartLayout` as the ROC chart, so the SVG and PNG
/// renderers draw it.
public enum LineChart {
    public struct Series: Sendable {
        public var label: String
        public var points: [(x: Double, y: Double)]

        public init(label: String, points: [(x: Double, y: Double)]) {
            self.label = label
            self.points = points
        }
    }

    public static func layout(
        _ series: [Series], title: String, xLabel: String, yLabel: String, width: Double = 640, height: Double = 300,
        fontSize: Double = 13
    ) -> ChartLayout {
        let font = fontSize
        let plot = ChartRect(
            x: 4.6 * font + 10, y: 2.6 * font + 10, width: width - (4.6 * font + 10) - 24,
            height: height - (2.6 * font + 10) - (3.6 * font + 10))
        let xs = series.flatMap { $0.points.map(\.x) }
        let ys = series.flatMap { $0.points.map(\.y) }.filter(\.isFinite)
        let xDomain = range(xs, pad: false)
        let yDomain = range(ys, pad: true)
        let xAxis = ChartAxis(scale: .linear, domain: xDomain, pixels: (plot.x, plot.maxX))
        let yAxis = ChartAxis(scale: .linear, domain: yDomain, pixels: (plot.maxY, plot.y))

        var items: [ChartItem] = [.rectangle(ChartRect(x: 0, y: 0, width: width, height: height), fill: .white, stroke: nil)]
        for tick in xAxis.ticks where tick.label != nil {
            items.append(.line(ChartPoint(tick.position, plot.y), ChartPoint(tick.position, plot.maxY), ChartStroke(.grid)))
        }
        for tick in yAxis.ticks where tick.label != nil {
            items.append(.line(ChartPoint(plot.x, tick.position), ChartPoint(plot.maxX, tick.position), ChartStroke(.grid)))
        }
        for (index, s) in series.enumerated() {
            let color = ChartColor.palette[index % ChartColor.palette.count]
            let pixels = s.points.filter { $0.y.isFinite }.map { ChartPoint(xAxis.pixel($0.x), yAxis.pixel($0.y)) }
            if pixels.count == 1 {
                items.append(.marker(pixels[0], .circle, size: 6, fill: color, stroke: ChartStroke(color)))
            } else if pixels.count > 1 {
                items.append(.polyline(pixels, ChartStroke(color, width: 1.5)))
            }
        }
        items.append(.rectangle(plot, fill: nil, stroke: ChartStroke(.axis, width: 1)))
        for tick in xAxis.ticks {
            guard let label = tick.label else { continue }
            items.append(.line(ChartPoint(tick.position, plot.maxY), ChartPoint(tick.position, plot.maxY + 5), ChartStroke(.axis)))
            items.append(.text(ChartText(label, at: ChartPoint(tick.position, plot.maxY + 8 + font), size: font * 0.85, anchor: .middle)))
        }
        for tick in yAxis.ticks {
            guard let label = tick.label else { continue }
            items.append(.line(ChartPoint(plot.x - 5, tick.position), ChartPoint(plot.x, tick.position), ChartStroke(.axis)))
            items.append(.text(ChartText(label, at: ChartPoint(plot.x - 8, tick.position + font * 0.3), size: font * 0.85, anchor: .end)))
        }
        items.append(.text(ChartText(xLabel, at: ChartPoint(plot.x + plot.width / 2, height - 10), size: font, anchor: .middle)))
        items.append(
            .text(ChartText(yLabel, at: ChartPoint(font + 4, plot.y + plot.height / 2), size: font, anchor: .middle, rotation: -90)))
        items.append(.text(ChartText(title, at: ChartPoint(width / 2, 8 + font * 1.2), size: font * 1.15, anchor: .middle, bold: true)))
        // Legend: a line per series, in the corner of the plot its box hides the least of the curves.
        let size = font * 0.85
        let curves = series.map { s in s.points.filter { $0.y.isFinite }.map { ChartPoint(xAxis.pixel($0.x), yAxis.pixel($0.y)) } }
        let box = legendBox(series.map(\.label), size: size, plot: plot, avoiding: curves)
        for (index, s) in series.enumerated() {
            let color = ChartColor.palette[index % ChartColor.palette.count]
            let y = box.y + size + Double(index) * size * 1.5
            let x = box.x + 6
            items.append(.line(ChartPoint(x, y - size * 0.3), ChartPoint(x + 22, y - size * 0.3), ChartStroke(color, width: 2)))
            items.append(.text(ChartText(s.label, at: ChartPoint(x + 28, y), size: size, anchor: .start)))
        }
        return ChartLayout(width: width, height: height, plot: plot, xAxis: xAxis, yAxis: yAxis, items: items)
    }

    /// The legend's rectangle: the first of the upper-right, upper-left, lower-right and lower-left corners of
    /// the plot that no curve crosses, else the one the curves cross least (counted on points every 2 pixels).
    static func legendBox(_ labels: [String], size: Double, plot: ChartRect, avoiding curves: [[ChartPoint]]) -> ChartRect {
        let width = 40 + (labels.map { ChartText.estimatedWidth($0, size: size) }.max() ?? 0)
        let height = Double(labels.count) * size * 1.5 + 4
        let (left, right) = (plot.x + 6, plot.maxX - width - 6)
        let (top, bottom) = (plot.y + 4, plot.maxY - height - 4)
        let corners = [(right, top), (left, top), (right, bottom), (left, bottom)].map {
            ChartRect(x: $0.0, y: $0.1, width: width, height: height)
        }
        func hits(_ r: ChartRect) -> Int {
            var count = 0
            for curve in curves {
                for (a, b) in zip(curve, curve.dropFirst()) + (curve.count == 1 ? [(curve[0], curve[0])] : []) {
                    let steps = max(1, Int((abs(b.x - a.x) + abs(b.y - a.y)) / 2))
                    for k in 0...steps {
                        let t = Double(k) / Double(steps)
                        let (x, y) = (a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t)
                        if x >= r.x && x <= r.maxX && y >= r.y && y <= r.maxY { count += 1 }
                    }
                }
            }
            return count
        }
        let counted = corners.map { ($0, hits($0)) }
        return counted.first { $0.1 == 0 }?.0 ?? counted.min { $0.1 < $1.1 }!.0
    }

    /// The data range, widened when empty or flat, padded 5% on the value axis.
    static func range(_ values: [Double], pad: Bool) -> ClosedRange<Double> {
        guard let lo = values.min(), let hi = values.max() else { return 0...1 }
        if hi - lo < 1e-12 { return (lo - 0.5)...(hi + 0.5) }
        let margin = pad ? (hi - lo) * 0.05 : 0
        return (lo - margin)...(hi + margin)
    }
}
