import Foundation
import Support

/// How the ROC chart looks.
public struct ChartOptions: Equatable, Sendable {
    public var width: Double
    public var height: Double
    public var title: String
    /// A logarithmic FAR axis (the region that matters for a good model: FAR 1e-4..1e-2).
    public var logFAR: Bool
    /// Left end of a log FAR axis; nil chooses the decade at or below the smallest positive FAR of the curves
    /// (at least 1e-6).
    public var minimumFAR: Double?
    /// The TPR axis range (not used by a DET chart).
    public var tprRange: ClosedRange<Double>
    /// A DET chart (Martin et al., "The DET curve in assessment of detection task performance", Eurospeech
    /// 1997): the miss rate 1 - TPR on a log axis against a log FAR axis, so that both error rates of a good
    /// model, 1e-3 and below, are readable. Implies `logFAR`.
    public var det = false
    public var fontSize: Double
    /// Axis titles (the open-set chart of bench/openset plots the identification rate against false alarms).
    public var xTitle = "False accept rate (FAR)"
    public var yTitle = "True accept rate (TPR)"

    public init(
        width: Double = 800, height: Double = 600, title: String = "ROC: verification on LFW pairs",
        logFAR: Bool = false, minimumFAR: Double? = nil, tprRange: ClosedRange<Double> = 0...1, fontSize: Double = 14
    ) {
        self.width = width
        self.height = height
        self.title = title
        self.logFAR = logFAR
        self.minimumFAR = minimumFAR
        self.tprRange = tprRange
        self.fontSize = fontSize
    }
}

/// One curve of a chart with the numbers its legend shows.
public struct ROCSeries: Sendable {
    public var label: String
    public var points: [ROCPoint]
    public var accuracy: Double?
    public var accuracyStd: Double?
    public var auc: Double?
    /// The 10-fold VAL and mean FAR: drawn as the operating point.
    public var val: Double?
    public var far: Double?
    public var farTarget: Double?
    /// Drawn at (EER, 1 - EER).
    public var eer: Double?

    public init(
        label: String, points: [ROCPoint], accuracy: Double? = nil, accuracyStd: Double? = nil, auc: Double? = nil,
        val: Double? = nil, far: Double? = nil, farTarget: Double? = nil, eer: Double? = nil
    ) {
        self.label = label
        self.points = points
        self.accuracy = accuracy
        self.accuracyStd = accuracyStd
        self.auc = auc
        self.val = val
        self.far = far
        self.farTarget = farTarget
        self.eer = eer
    }

    public init(report: EvaluationReport, label: String) {
        self.init(
            label: label, points: report.roc.points, accuracy: report.accuracy, accuracyStd: report.accuracyStd,
            auc: report.auc, val: report.val, far: report.far, farTarget: report.settings.farTarget, eer: report.eer)
    }

    /// Reads a `summary.json` written by `ReportFiles.write` and the `roc.csv` it names beside it.
    public static func load(summary path: String) throws -> ROCSeries {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw UserError("cannot read the summary \(path)")
        }
        let json = try JSONValue.parse(data, source: path)
        guard let csvName = json["files"]?["roc_csv"]?.stringValue else {
            throw UserError("\(path) has no files.roc_csv: not a summary written by `facenet eval`")
        }
        let directory = (path as NSString).deletingLastPathComponent
        let points = try ReportFiles.readROCCSV((directory as NSString).appendingPathComponent(csvName))
        return ROCSeries(
            label: json["model"]?.stringValue ?? (directory as NSString).lastPathComponent, points: points,
            accuracy: json["accuracy"]?.doubleValue, accuracyStd: json["accuracy_std"]?.doubleValue,
            auc: json["auc"]?.doubleValue, val: json["val"]?.doubleValue, far: json["far"]?.doubleValue,
            farTarget: json["far_target"]?.doubleValue, eer: json["eer"]?.doubleValue)
    }

    /// `model  acc 0.9927 ± 0.0047  AUC 0.9995`.
    public var legend: String {
        var text = label
        if let accuracy {
            text += String(format: "  acc %.4f", accuracy)
            if let accuracyStd { text += String(format: " ± %.4f", accuracyStd) }
        }
        if let auc { text += String(format: "  AUC %.4f", auc) }
        return text
    }
}

/// Lays out ROC charts: TPR against FAR, one curve per series.
public enum ROCChart {
    /// The chart of one or more curves (`--compare` passes several). The operating point (VAL at the FAR target)
    /// is marked with a circle and the EER point with a diamond, in each curve's colour; the dashed grey line
    /// is FAR = 1 - TPR, where every EER point lies.
    public static func layout(_ series: [ROCSeries], options: ChartOptions = .init()) -> ChartLayout {
        let font = options.fontSize
        let plot = ChartRect(
            x: 4.6 * font + 10, y: 2.6 * font + 10, width: options.width - (4.6 * font + 10) - 24,
            height: options.height - (2.6 * font + 10) - (3.6 * font + 10))

        let minimumFAR: Double
        if let given = options.minimumFAR {
            minimumFAR = given
        } else {
            let smallest = series.flatMap(\.points).map(\.far).filter { $0 > 0 }.min() ?? 1e-3
            minimumFAR = min(1e-1, max(1e-6, pow(10, log10(smallest).rounded(.down))))
        }
        let logFAR = options.logFAR || options.det
        // DET: the miss axis starts at the decade at or below the smallest positive miss rate (at least 1e-4).
        let smallestMiss = series.flatMap(\.points).map { 1 - $0.tpr }.filter { $0 > 0 }.min() ?? 1e-3
        let minimumMiss = min(1e-1, max(1e-4, pow(10, log10(smallestMiss).rounded(.down))))
        let xAxis = ChartAxis(
            scale: logFAR ? .log10 : .linear, domain: logFAR ? minimumFAR...1 : 0...1, pixels: (plot.x, plot.maxX))
        let yAxis =
            options.det
            ? ChartAxis(scale: .log10, domain: minimumMiss...1, pixels: (plot.maxY, plot.y))
            : ChartAxis(scale: .linear, domain: options.tprRange, pixels: (plot.maxY, plot.y))
        /// Whether a TPR lies on the chart's vertical range.
        func shown(_ tpr: Double) -> Bool { options.det ? 1 - tpr >= minimumMiss : options.tprRange.contains(tpr) }
        func point(_ far: Double, _ tpr: Double) -> ChartPoint {
            ChartPoint(
                xAxis.pixel(logFAR ? max(far, minimumFAR) : far),
                yAxis.pixel(options.det ? max(1 - tpr, minimumMiss) : tpr))
        }

        var items: [ChartItem] = [
            .rectangle(ChartRect(x: 0, y: 0, width: options.width, height: options.height), fill: .white, stroke: nil)
        ]
        // Grid lines at labelled ticks (and at log minor ticks, lighter through thinner lines).
        for tick in xAxis.ticks {
            items.append(
                .line(
                    ChartPoint(tick.position, plot.y), ChartPoint(tick.position, plot.maxY),
                    ChartStroke(.grid, width: tick.label == nil ? 0.5 : 1)))
        }
        for tick in yAxis.ticks {
            items.append(
                .line(ChartPoint(plot.x, tick.position), ChartPoint(plot.maxX, tick.position), ChartStroke(.grid)))
        }
        // FAR = 1 - TPR guide, sampled so it is straight on a linear axis and curved on a log one.
        let guide = (0...200).map { i -> ChartPoint in
            let far = logFAR ? minimumFAR * pow(1 / minimumFAR, Double(i) / 200) : Double(i) / 200
            return point(far, 1 - far)
        }
        for piece in PolylineClipper.clip(guide, to: plot) {
            items.append(.polyline(piece, ChartStroke(.guide, width: 1, dash: [6, 4])))
        }

        // Curves.
        for (index, s) in series.enumerated() {
            let color = ChartColor.palette[index % ChartColor.palette.count]
            let pixels = curve(s.points, logFAR: logFAR, minimumFAR: minimumFAR).map { point($0.0, $0.1) }
            for piece in PolylineClipper.clip(pixels, to: plot) {
                items.append(.polyline(PolylineClipper.thin(piece), ChartStroke(color, width: 2)))
            }
        }
        // Markers on top of every curve.
        for (index, s) in series.enumerated() {
            let color = ChartColor.palette[index % ChartColor.palette.count]
            if let val = s.val, let far = s.far, shown(val) {
                items.append(
                    .marker(point(far, val), .circle, size: 9, fill: color, stroke: ChartStroke(.black, width: 1)))
            }
            if let eer = s.eer, shown(1 - eer), !logFAR || eer >= minimumFAR {
                items.append(
                    .marker(point(eer, 1 - eer), .diamond, size: 11, fill: .white, stroke: ChartStroke(color, width: 2)))
            }
        }

        // Frame, ticks and tick labels.
        items.append(.rectangle(plot, fill: nil, stroke: ChartStroke(.axis, width: 1)))
        for tick in xAxis.ticks {
            let length = tick.label == nil ? 3.0 : 6.0
            items.append(
                .line(ChartPoint(tick.position, plot.maxY), ChartPoint(tick.position, plot.maxY + length), ChartStroke(.axis)))
            if let label = tick.label {
                items.append(
                    .text(ChartText(label, at: ChartPoint(tick.position, plot.maxY + 8 + font), size: font * 0.85, anchor: .middle)))
            }
        }
        for tick in yAxis.ticks {
            items.append(.line(ChartPoint(plot.x - 6, tick.position), ChartPoint(plot.x, tick.position), ChartStroke(.axis)))
            if let label = tick.label {
                items.append(
                    .text(ChartText(label, at: ChartPoint(plot.x - 9, tick.position + font * 0.3), size: font * 0.85, anchor: .end)))
            }
        }
        // Axis titles and the chart title.
        let xTitle = options.xTitle + (logFAR ? ", log scale" : "")
        items.append(
            .text(ChartText(xTitle, at: ChartPoint(plot.x + plot.width / 2, options.height - 12), size: font, anchor: .middle)))
        items.append(
            .text(
                ChartText(
                    options.yTitle + (options.det ? ", log scale" : ""), at: ChartPoint(font + 6, plot.y + plot.height / 2), size: font,
                    anchor: .middle, rotation: -90)))
        items.append(
            .text(
                ChartText(
                    options.title, at: ChartPoint(options.width / 2, 10 + font * 1.2), size: font * 1.25, anchor: .middle,
                    bold: true)))

        items += legend(series, plot: plot, font: font)
        return ChartLayout(width: options.width, height: options.height, plot: plot, xAxis: xAxis, yAxis: yAxis, items: items)
    }

    /// The curve's (FAR, TPR) points to draw. On a log axis FAR = 0 cannot be shown: the curve starts at the
    /// left edge at the TPR where it crosses `minimumFAR` (linear interpolation between the two ROC points
    /// around it), and points left of the edge are dropped.
    static func curve(_ points: [ROCPoint], logFAR: Bool, minimumFAR: Double) -> [(Double, Double)] {
        let all = points.map { ($0.far, $0.tpr) }
        guard logFAR, let first = all.firstIndex(where: { $0.0 >= minimumFAR }) else { return all }
        var result: [(Double, Double)] = []
        if first > 0, all[first].0 > minimumFAR {
            let (a, b) = (all[first - 1], all[first])
            let t = (minimumFAR - a.0) / (b.0 - a.0)
            result.append((minimumFAR, a.1 + t * (b.1 - a.1)))
        }
        return result + all[first...]
    }

    /// Legend in the lower right of the plot: one line per curve, then what the two markers mean (with the
    /// numbers when there is a single curve).
    static func legend(_ series: [ROCSeries], plot: ChartRect, font: Double) -> [ChartItem] {
        let size = font * 0.85
        var entries: [(text: String, swatch: ChartItem?)] = []
        let sample = 26.0
        for (index, s) in series.enumerated() {
            let color = ChartColor.palette[index % ChartColor.palette.count]
            entries.append((s.legend, .polyline([ChartPoint(0, 0), ChartPoint(sample, 0)], ChartStroke(color, width: 2))))
        }
        let single = series.count == 1 ? series[0] : nil
        if series.contains(where: { $0.val != nil && $0.far != nil }) {
            let target = series.compactMap(\.farTarget).first.map { TerminalTable.compact($0) } ?? "target"
            var text = "VAL @ FAR=\(target) (10-fold)"
            if let single, let val = single.val, let far = single.far {
                text = String(format: "VAL %.4f @ FAR %@ (10-fold mean FAR %.5f)", val, target, far)
            }
            let color = single == nil ? ChartColor.guide : ChartColor.palette[0]
            entries.append((text, .marker(ChartPoint(sample / 2, 0), .circle, size: 9, fill: color, stroke: ChartStroke(.black))))
        }
        if series.contains(where: { $0.eer != nil }) {
            var text = "EER (FAR = 1 - TPR)"
            if let single, let eer = single.eer { text = String(format: "EER %.4f", eer) }
            let color = single == nil ? ChartColor.guide : ChartColor.palette[0]
            entries.append(
                (text, .marker(ChartPoint(sample / 2, 0), .diamond, size: 11, fill: .white, stroke: ChartStroke(color, width: 2))))
        }
        guard !entries.isEmpty else { return [] }
        let lineHeight = size * 1.6
        let padding = 8.0
        let textWidth = entries.map { ChartText.estimatedWidth($0.text, size: size) }.max()!
        let box = ChartRect(
            x: plot.maxX - (padding * 3 + sample + textWidth) - 10,
            y: plot.maxY - (padding * 2 + lineHeight * Double(entries.count)) - 10,
            width: padding * 3 + sample + textWidth, height: padding * 2 + lineHeight * Double(entries.count))
        var items: [ChartItem] = [.rectangle(box, fill: .white, stroke: ChartStroke(.guide))]
        for (i, entry) in entries.enumerated() {
            let middle = box.y + padding + lineHeight * (Double(i) + 0.5)
            let origin = ChartPoint(box.x + padding, middle)
            switch entry.swatch {
            case .polyline(let points, let stroke):
                items.append(.polyline(points.map { ChartPoint($0.x + origin.x, $0.y + origin.y) }, stroke))
            case .marker(let p, let shape, let markerSize, let fill, let stroke):
                items.append(.marker(ChartPoint(p.x + origin.x, p.y + origin.y), shape, size: markerSize, fill: fill, stroke: stroke))
            default: break
            }
            items.append(
                .text(ChartText(entry.text, at: ChartPoint(origin.x + sample + padding, middle + size * 0.35), size: size)))
        }
        return items
    }
}
