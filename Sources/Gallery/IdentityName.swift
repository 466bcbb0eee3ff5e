import Support

/// The rule for a person's name in a gallery: it becomes a folder name in exports and a JSON string in
/// results, so it must be printable, one path component, and of a reasonable length.
public enum IdentityName {
    public static let maximumLength = 200

    /// `name` trimmed of surrounding white space, or a `UserError` saying what is wrong with it.
    public static func validated(_ name: String) throws -> String {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw UserError("an identity name must not be empty") }
        guard trimmed.count <= maximumLength else {
            throw UserError("identity name '\(trimmed.prefix(40))...' is longer than \(maximumLength) characters")
        }
        if let bad = trimmed.unicodeScalars.first(where: { $0 == "/" || $0 == "\\" || $0.properties.generalCategory == .control }) {
            let shown = bad.value < 0x20 || bad.value == 0x7f ? String(format: "U+%04X", bad.value) : "'\(bad)'"
            throw UserError("identity name \(String(reflecting: trimmed)) holds \(shown): names may not hold slashes or control characters")
        }
        guard trimmed != "." && trimmed != ".." else { throw UserError("'\(trimmed)' is not a usable identity name") }
        return trimmed
    }
}
