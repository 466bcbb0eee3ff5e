import Foundation
import Support
import Yams

/// Reads a `TrainingConfig` from YAML (`ConfigYAML`) plus `--field value` overrides, rejecting unknown fields,
/// wrong types, non-finite numbers and invalid values (`ConfigValidation`) with a message naming where the
/// value came from and the field, before any work starts.
public enum ConfigLoader {
    /// The YAML names of every field (snake_case of the properties).
    public static var fieldNames: [String] {
        Mirror(reflecting: TrainingConfig()).children.compactMap { $0.label.map(snakeCase) }
    }

    /// Loads `path` (nil: defaults only) and applies `overrides` (option name -> YAML scalar text); a bad
    /// value is blamed on the option it came from (`--margin (command line)`), otherwise on the file.
    public static func load(path: String?, overrides: [(String, String)] = []) throws -> TrainingConfig {
        var fields: [String: Any] = [:]
        var origin = ConfigOrigin(file: path)
        if let path {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw UserError("cannot read the config file \(path)")
            }
            fields = try ConfigYAML.fields(of: text, path: path)
        }
        for (option, text) in overrides {
            let key = fieldName(ofOption: option)
            origin.commandLine.insert(key)
            fields[key] = try ConfigYAML.value(ofArgument: text, option: "--\(key) (command line)")
        }
        let known = Set(fieldNames)
        if let unknown = fields.keys.sorted().first(where: { !known.contains($0) }) {
            let suggestion = known.min { editDistance($0, unknown) < editDistance($1, unknown) } ?? ""
            throw UserError("\(origin.of(unknown)): unknown field '\(unknown)' (did you mean '\(suggestion)'?)")
        }
        let config = try decode(fields, origin: origin)
        try ConfigValidation.check(config, origin: origin)
        return config
    }

    /// The YAML name an option names: `--people-per-batch` and `--people_per_batch` are `people_per_batch`.
    public static func fieldName(ofOption option: String) -> String {
        option.replacingOccurrences(of: "-", with: "_")
    }

    /// True for the fields a command line may give without a value (`--random_flip` means true): the Bool ones.
    public static func isSwitch(_ field: String) -> Bool {
        Mirror(reflecting: TrainingConfig()).children.contains { $0.label.map(snakeCase) == field && $0.value is Bool }
    }

    /// Overlays the given fields on the defaults and decodes, naming the field of a type error.
    static func decode(_ fields: [String: Any], origin: ConfigOrigin) throws -> TrainingConfig {
        // JSON has no NaN or infinity (JSONSerialization would fail without naming the field), and no field
        // means anything with one: refused here for every numeric field at once.
        for (key, value) in fields.sorted(by: { $0.key < $1.key }) {
            if let number = value as? Double, !number.isFinite {
                throw UserError("\(origin.of(key)): field '\(snakeCase(key))' must be a finite number, got \(number)")
            }
        }
        var merged = try JSONSerialization.jsonObject(with: JSONEncoder().encode(TrainingConfig())) as! [String: Any]
        for (key, value) in fields { merged[camelCase(key)] = value is NSNull ? nil : value }
        let data = try JSONSerialization.data(withJSONObject: merged)
        do {
            return try JSONDecoder().decode(TrainingConfig.self, from: data)
        } catch let DecodingError.typeMismatch(type, context) {
            let field = fieldName(context)
            throw UserError("\(origin.of(field)): field '\(field)' must be \(describe(type)), got \(shown(fields, context))")
        } catch let DecodingError.valueNotFound(type, context) {
            let field = fieldName(context)
            throw UserError("\(origin.of(field)): field '\(field)' must be \(describe(type)), got nothing")
        } catch let choice as InvalidChoice {
            let field = choice.codingPath.first.map { snakeCase($0.stringValue) } ?? "?"
            throw UserError("\(origin.of(field)): field '\(field)' \(choice)")
        } catch let DecodingError.dataCorrupted(context) {
            let field = fieldName(context)
            throw UserError("\(origin.of(field)): field '\(field)': \(context.debugDescription)")
        }
    }

    /// A config as a checkpoint stores it (JSON of the properties), over today's defaults: a checkpoint
    /// written before a field existed gets that field's default.
    public static func decodeStored(_ json: Data) throws -> TrainingConfig {
        guard let stored = try JSONSerialization.jsonObject(with: json) as? [String: Any] else {
            throw UserError("the stored config is not a JSON object")
        }
        return try decode(stored, origin: ConfigOrigin(file: "the stored config"))  // its camelCase keys pass camelCase() unchanged
    }

    static func fieldName(_ context: DecodingError.Context) -> String {
        context.codingPath.first.map { snakeCase($0.stringValue) } ?? "?"
    }

    static func shown(_ fields: [String: Any], _ context: DecodingError.Context) -> String {
        fields[fieldName(context)].map { "'\($0)'" } ?? "a value of another type"
    }

    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type, is UInt64.Type: "a whole number"
        case is Double.Type: "a number"
        case is Bool.Type: "true or false"
        case is String.Type: "a string"
        default: "\(type)"
        }
    }

    static func snakeCase(_ name: String) -> String {
        name.reduce(into: "") { out, c in
            if c.isUppercase { out += "_" + c.lowercased() } else { out.append(c) }
        }
    }

    static func camelCase(_ name: String) -> String {
        let parts = name.split(separator: "_")
        guard let first = parts.first else { return name }
        return String(first) + parts.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        var row = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var previous = row[0]
            row[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                let current = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = current
            }
        }
        return row[b.count]
    }
}

/// Where a config's values came from: the file, except the fields set on the command line.
public struct ConfigOrigin: Sendable {
    public var file: String?
    public var commandLine: Set<String> = []

    public init(file: String?, commandLine: Set<String> = []) {
        self.file = file
        self.commandLine = commandLine
    }

    /// What a message about `field` (YAML name) blames: `--margin (command line)` or the file.
    public func of(_ field: String) -> String {
        commandLine.contains(field) ? "--\(field) (command line)" : file ?? "<defaults>"
    }
}

extension ConfigLoader {
    /// The default of a field (YAML name) as text, read from `TrainingConfig()`: `none` for an unset optional.
    public static func defaultText(_ field: String) -> String {
        guard let value = Mirror(reflecting: TrainingConfig()).children.first(where: { $0.label == camelCase(field) })?.value
        else { return "?" }
        return text(of: value)
    }

    /// A config value as text, optionals unwrapped (`none` when unset).
    static func text(of value: Any) -> String {
        let mirror = Mirror(reflecting: value)
        if mirror.displayStyle == .optional { return mirror.children.first.map { text(of: $0.value) } ?? "none" }
        if let string = value as? String { return string.isEmpty ? "''" : string }
        if let choice = value as? any Choice { return choice.rawValue }
        return "\(value)"
    }
}
