import Foundation
import Support
import Yams

/// Reads a `TrainingConfig` from YAML plus `--field value` overrides, rejecting unknown fields, wrong types
/// and invalid values with a message naming the file and the field, before any work starts.
public enum ConfigLoader {
    /// The YAML names of every field (snake_case of the properties).
    public static var fieldNames: [String] {
        Mirror(reflecting: TrainingConfig()).children.compactMap { $0.label.map(snakeCase) }
    }

    /// Loads `path` (nil: defaults only) and applies `overrides` (YAML name -> YAML scalar text).
    public static func load(path: String?, overrides: [(String, String)] = []) throws -> TrainingConfig {
        var fields: [String: Any] = [:]
        let source = path ?? "<defaults>"
        if let path {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw UserError("cannot read the config file \(path)")
            }
            let parsed: Any?
            do {
                parsed = try Yams.load(yaml: text)
            } catch {
                throw UserError("\(path) is not valid YAML: \(error)")
            }
            if let parsed {
                guard let map = parsed as? [String: Any] else {
                    throw UserError("\(path): expected a mapping of field: value at the top level")
                }
                fields = map
            }
        }
        for (name, text) in overrides {
            let key = name.replacingOccurrences(of: "-", with: "_")
            fields[key] = (try? Yams.load(yaml: text)).flatMap { $0 } ?? text
        }
        let known = Set(fieldNames)
        if let unknown = fields.keys.sorted().first(where: { !known.contains($0) }) {
            let suggestion = known.min { editDistance($0, unknown) < editDistance($1, unknown) } ?? ""
            throw UserError("\(source): unknown field '\(unknown)' (did you mean '\(suggestion)'?)")
        }
        let config = try decode(fields, source: source)
        try ConfigValidation.check(config, source: source)
        return config
    }

    /// Overlays the given fields on the defaults and decodes, naming the field of a type error.
    static func decode(_ fields: [String: Any], source: String) throws -> TrainingConfig {
        var merged = try JSONSerialization.jsonObject(with: JSONEncoder().encode(TrainingConfig())) as! [String: Any]
        for (key, value) in fields { merged[camelCase(key)] = value is NSNull ? nil : value }
        let data = try JSONSerialization.data(withJSONObject: merged)
        do {
            return try JSONDecoder().decode(TrainingConfig.self, from: data)
        } catch let DecodingError.typeMismatch(type, context) {
            throw UserError("\(source): field '\(fieldName(context))' must be \(describe(type)), got \(shown(fields, context))")
        } catch let DecodingError.valueNotFound(type, context) {
            throw UserError("\(source): field '\(fieldName(context))' must be \(describe(type)), got nothing")
        } catch let DecodingError.dataCorrupted(context) {
            throw UserError("\(source): field '\(fieldName(context))': \(context.debugDescription)")
        }
    }

    /// A config as a checkpoint stores it (JSON of the properties), over today's defaults: a checkpoint
    /// written before a field existed gets that field's default.
    public static func decodeStored(_ json: Data) throws -> TrainingConfig {
        guard let stored = try JSONSerialization.jsonObject(with: json) as? [String: Any] else {
            throw UserError("the stored config is not a JSON object")
        }
        return try decode(stored, source: "the stored config")  // its camelCase keys pass camelCase() unchanged
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
