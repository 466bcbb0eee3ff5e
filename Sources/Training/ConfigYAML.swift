import Foundation
import Support
import Yams

/// Turns the YAML text of a config (or of one command-line value) into plain field values: `Int`, `Double`,
/// `Bool`, `String` or `NSNull`, the only values `ConfigLoader.decode` takes.
///
/// The text is composed into a `Yams.Node` tree first. Composing is cheap even for an alias bomb, because an
/// alias shares its anchor's node instead of copying it; expanding the tree into values is what explodes
/// (9 levels of 9 aliases are 9^9 = 387 million nodes). So the walk that builds the values counts every node
/// it visits, aliases expanded, and refuses the file past `nodeLimit`; the same walk refuses duplicate keys,
/// which YAML forbids and Yams would resolve silently by keeping one of them.
enum ConfigYAML {
    /// A config has about 55 fields of one scalar each; 10,000 nodes is far beyond any real one and is walked
    /// in well under a millisecond.
    static let nodeLimit = 10_000

    /// The top-level `field: value` pairs of a config file's text (empty for an empty file).
    static func fields(of text: String, path: String) throws -> [String: Any] {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw UserError("\(path) is not valid YAML: \(error)")
        }
        guard let root else { return [:] }
        var budget = nodeLimit
        try countNodes(root, budget: &budget, path: path)  // the whole tree, before any value is built
        guard case .mapping(let mapping) = root else {
            throw UserError("\(path): expected a mapping of field: value at the top level")
        }
        var fields: [String: Any] = [:]
        for (keyNode, valueNode) in mapping {
            guard case .scalar(let key) = keyNode else {
                throw UserError("\(path): a field name must be a plain word, got a \(kind(keyNode))")
            }
            fields[key.string] = try value(valueNode, field: key.string, origin: path)
        }
        return fields
    }

    /// One command-line value (`--margin 0.3`): its YAML scalar, or the text itself when it is not YAML or is
    /// empty (`--include ''`).
    static func value(ofArgument text: String, option: String) throws -> Any {
        guard let node = (try? Yams.compose(yaml: text)).flatMap({ $0 }) else { return text }
        var budget = nodeLimit
        try countNodes(node, budget: &budget, path: option)
        return try value(node, field: option, origin: option)
    }

    /// A field's value; no field takes a list or a mapping.
    static func value(_ node: Node, field: String, origin: String) throws -> Any {
        guard case .scalar(let scalar) = node else {
            throw UserError("\(origin): field '\(field)' must be a single value, got a \(kind(node))")
        }
        // Only the plain types: a timestamp-looking path (`data_dir: 2024-01-01`) stays a string.
        switch Tag.Name(rawValue: node.tag.description) {
        case .null: return NSNull()
        case .bool: return node.bool ?? scalar.string
        case .int: return node.int ?? scalar.string  // too large for Int: the decoder names the field
        case .float: return node.float ?? scalar.string
        default: return scalar.string
        }
    }

    /// Visits every node under `node` as the values would expand it (aliases again each time), stopping
    /// as soon as the budget is spent; mappings with a repeated key are refused on the way.
    static func countNodes(_ node: Node, budget: inout Int, path: String) throws {
        try spend(&budget, path: path)
        switch node {
        case .scalar:
            break
        case .sequence(let sequence):
            for element in sequence { try countNodes(element, budget: &budget, path: path) }
        case .mapping(let mapping):
            var seen = Set<Node>()
            for (key, value) in mapping {
                try countNodes(key, budget: &budget, path: path)  // before hashing it: a key may be an alias bomb too
                guard seen.insert(key).inserted else {
                    throw UserError("\(path): field '\(key.string ?? "\(key)")' is given twice (line \(line(key)))")
                }
                try countNodes(value, budget: &budget, path: path)
            }
        }
    }

    static func spend(_ budget: inout Int, path: String) throws {
        budget -= 1
        guard budget >= 0 else {
            throw UserError(
                "\(path): the YAML expands to more than \(nodeLimit) values (aliases of aliases?); a config is a "
                    + "flat list of field: value lines")
        }
    }

    static func kind(_ node: Node) -> String {
        switch node {
        case .scalar: "value"
        case .sequence: "list"
        case .mapping: "mapping"
        }
    }

    static func line(_ node: Node) -> String { node.mark.map { "\($0.line)" } ?? "?" }
}
