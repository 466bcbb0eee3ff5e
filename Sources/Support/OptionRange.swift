/// The one rule for options with bounds: a value outside its range is a `UserError` whose message names
/// the option as the command line spells it, the allowed range and the value given, e.g.
/// `--image-size must be in 16...1024, got 100000`. Each option's range lives beside the field it bounds
/// (`AlignJob.imageSizeRange`, `DetectorOptions.factorRange`, ...); commands check them before any work.
public enum OptionRange {
    /// Throws unless `range` holds `value` (NaN is in no range).
    public static func check<T: Comparable>(_ option: String, _ value: T, in range: ClosedRange<T>) throws {
        guard range.contains(value) else {
            throw UserError("\(option) must be in \(range.lowerBound)...\(range.upperBound), got \(value)")
        }
    }
}
