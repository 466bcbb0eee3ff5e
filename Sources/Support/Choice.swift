/// A setting with a fixed set of values, written as its raw text in configs and on command lines
/// (`mode: in-batch`). The allowed values come from the cases alone: decoding refuses any other text with
/// `InvalidChoice`, and messages and help read `allowedText`, so no list of them is written twice.
public protocol Choice: RawRepresentable<String>, CaseIterable, Codable, Sendable {}

extension Choice {
    /// "a, b or c", in declaration order.
    public static var allowedText: String {
        let names = allCases.map(\.rawValue)
        guard names.count > 1 else { return names.first ?? "" }
        return names.dropLast().joined(separator: ", ") + " or " + names.last!
    }

    public init(from decoder: any Decoder) throws {
        // A number or a boolean where a word belongs is the same mistake as a wrong word: say what is allowed.
        let container = try decoder.singleValueContainer()
        var text = "?"
        if let word = try? container.decode(String.self) {
            text = word
        } else if let number = try? container.decode(Int.self) {
            text = String(number)
        } else if let number = try? container.decode(Double.self) {
            text = String(number)
        } else if let flag = try? container.decode(Bool.self) {
            text = String(flag)
        }
        guard let value = Self(rawValue: text) else {
            throw InvalidChoice(codingPath: decoder.codingPath, got: text, allowedText: Self.allowedText)
        }
        self = value
    }
}

/// A text that names none of a `Choice`'s cases; `codingPath` says which field held it.
public struct InvalidChoice: Error, CustomStringConvertible {
    public var codingPath: [any CodingKey]
    public var got: String
    public var allowedText: String

    public var description: String { "must be \(allowedText), got '\(got)'" }
}
