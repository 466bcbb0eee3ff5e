import Foundation
import Support

extension PairsFile {
    /// Reads and parses a pairs file (see `init(parsing:path:)` for the format and the errors).
    public init(contentsOf path: String) throws {
        try self.init(parsing: try InputFile.text(path, what: "the pairs file"), path: path)
    }

    /// Parses the text of an LFW-format pairs file.
    ///
    /// Format (LFW README, "Training, Validation, and Testing"; /work/shared/README.md): a header line, then one
    /// pair per line. Header `FOLDS N` (View 2, `pairs.txt`: `10 300`) announces FOLDS blocks of N matched then
    /// N mismatched pairs; header `N` (View 1, `pairsDevTrain.txt` / `pairsDevTest.txt`) announces N matched then
    /// N mismatched pairs, all in fold 0. A matched line is `name i j`, a mismatched line `name1 i name2 j`;
    /// image numbers are 1-based. Fields are separated by tabs or spaces (davidsandberg/facenet `src/lfw.py`
    /// `read_pairs` splits on any whitespace); blank lines are ignored but still counted for line numbers.
    ///
    /// Unlike `read_pairs`, which skips the header without reading it and takes any line's field count at face
    /// value, the header is checked against the lines: every error is a `UserError` of the form
    /// `PATH:LINE: what was found, what was expected`.
    public init(parsing text: String, path: String) throws {
        // "\r\n" is one Character in Swift, so it is a separator of its own.
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        // A final newline leaves one empty element that is not a line of the file.
        if lines.last?.isEmpty == true { lines.removeLast() }

        var headerLine: Int?
        var layout: PairsLayout?
        var pairs: [Pair] = []
        for (offset, rawLine) in lines.enumerated() {
            let lineNumber = offset + 1
            let fields = Self.fields(of: rawLine)
            if fields.isEmpty { continue }
            guard let announced = layout else {
                layout = try Self.header(fields, path: path, line: lineNumber)
                headerLine = lineNumber
                continue
            }
            let position = pairs.count
            guard position < announced.pairCount else {
                throw UserError(
                    "\(path):\(lineNumber): more pairs than the header (line \(headerLine!)) announces: "
                        + "\(announced) is \(announced.pairCount) pairs")
            }
            pairs.append(try Self.pair(fields, position: position, layout: announced, path: path, line: lineNumber))
        }
        guard let layout else {
            throw UserError(
                "\(path):1: the pairs file is empty: expected a header line `FOLDS N` (View 2, e.g. `10 300`) "
                    + "or `N` (View 1, e.g. `500`)")
        }
        guard pairs.count == layout.pairCount else {
            throw UserError(
                "\(path):\(lines.count + 1): the file ends after \(pairs.count) pairs, but the header (line "
                    + "\(headerLine!)) announces \(layout) = \(layout.pairCount) pairs")
        }
        self.init(path: path, layout: layout, pairs: pairs)
    }

    private static func fields(of line: Substring) -> [Substring] {
        line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\u{0B}" || $0 == "\u{0C}" })
    }

    private static func header(_ fields: [Substring], path: String, line: Int) throws -> PairsLayout {
        let expected =
            "expected a header line `FOLDS N` (View 2, e.g. `10 300`) or `N` (View 1, e.g. `500`)"
        let numbers = fields.map { positiveInteger($0) }
        switch (fields.count, numbers.first ?? nil, numbers.last ?? nil) {
        case (1, let n?, _):
            return .view1(pairsPerClass: n)
        case (2, let folds?, let n?):
            return .view2(folds: folds, pairsPerClass: n)
        default:
            throw UserError("\(path):\(line): \(expected) of positive integers; found `\(fields.joined(separator: " "))`")
        }
    }

    private static func pair(
        _ fields: [Substring], position: Int, layout: PairsLayout, path: String, line: Int
    ) throws -> Pair {
        let n = layout.pairsPerClass
        let fold = position / (2 * n)
        let expectSame = position % (2 * n) < n
        let shown = "`\(fields.joined(separator: " "))`"
        guard fields.count == 3 || fields.count == 4 else {
            throw UserError(
                "\(path):\(line): expected 3 fields `name i j` (matched) or 4 fields `name1 i name2 j` "
                    + "(mismatched), found \(fields.count): \(shown)")
        }
        let isSame = fields.count == 3
        guard isSame == expectSame else {
            // The header fixes where matched and mismatched lines go; a line of the other kind means the
            // header or the file is wrong, and guessing would silently shift every fold after it.
            let kind = expectSame ? "a matched pair `name i j`" : "a mismatched pair `name1 i name2 j`"
            let index = position % (2 * n) + 1
            throw UserError(
                "\(path):\(line): expected \(kind) (line \(index) of fold \(fold + 1), whose first \(n) pairs "
                    + "are matched and next \(n) mismatched, per the header \(layout)); found \(shown)")
        }
        func number(_ field: Int) throws -> Int {
            guard let value = positiveInteger(fields[field]) else {
                throw UserError(
                    "\(path):\(line): field \(field + 1) `\(fields[field])` is not an image number (a positive "
                        + "integer, 1-based) in \(shown)")
            }
            return value
        }
        let first = ImageRef(name: String(fields[0]), number: try number(1))
        let second =
            isSame
            ? ImageRef(name: String(fields[0]), number: try number(2))
            : ImageRef(name: String(fields[2]), number: try number(3))
        return Pair(first: first, second: second, isSame: isSame, fold: fold, line: line)
    }

    /// Decimal digits only (no sign), at least 1.
    private static func positiveInteger(_ field: Substring) -> Int? {
        guard !field.isEmpty, field.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(field), value >= 1
        else { return nil }
        return value
    }
}
