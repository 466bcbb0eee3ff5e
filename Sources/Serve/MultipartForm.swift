/// multipart/form-data (RFC 7578 over RFC 2046's multipart syntax) split into parts, for a body already in
/// memory. Hand-written: vapor/multipart-kit 4.7.1 (the version available here) traps on a header-name byte of
/// 0x80 or more (`isAllowedHeaderFieldNameCharacter` indexes a 128-entry table), which schemathesis found; a
/// service must answer such a body 400, not crash.
enum MultipartForm {
    struct Part {
        /// Header names lowercased, values as sent.
        let headers: [(name: String, value: String)]
        let body: ArraySlice<UInt8>

        /// The `name` parameter of Content-Disposition.
        var name: String? {
            headers.first { $0.name == "content-disposition" }.flatMap { UploadForm.parameter("name", of: $0.value) }
        }
    }

    struct Malformed: Error {
        let reason: String
    }

    static func parts(_ bytes: [UInt8], boundary: String) throws -> [Part] {
        let dashes = Array("--\(boundary)".utf8)
        let delimiter = [13, 10] + dashes
        // The first delimiter opens the body, or follows a preamble line.
        var position: Int
        if bytes.starts(with: dashes) {
            position = dashes.count
        } else if let found = find(delimiter, in: bytes, from: 0) {
            position = found + delimiter.count
        } else {
            throw Malformed(reason: "no '--\(boundary)' delimiter in the body")
        }
        var parts: [Part] = []
        while true {
            if bytes[position...].starts(with: [45, 45]) { return parts }  // "--": the close delimiter
            while position < bytes.count, bytes[position] == 32 || bytes[position] == 9 { position += 1 }  // padding
            guard bytes[position...].starts(with: [13, 10]) else {
                throw Malformed(reason: "a delimiter is not followed by a line break")
            }
            position += 2
            let headerText: ArraySlice<UInt8>
            let bodyStart: Int
            if bytes[position...].starts(with: [13, 10]) {
                (headerText, bodyStart) = ([], position + 2)
            } else if let end = find([13, 10, 13, 10], in: bytes, from: position) {
                (headerText, bodyStart) = (bytes[position..<end], end + 4)
            } else {
                throw Malformed(reason: "a part's headers do not end with an empty line")
            }
            guard let bodyEnd = find(delimiter, in: bytes, from: bodyStart) else {
                throw Malformed(reason: "the body ends before the closing '--\(boundary)--'")
            }
            parts.append(Part(headers: try headers(headerText), body: bytes[bodyStart..<bodyEnd]))
            position = bodyEnd + delimiter.count
        }
    }

    /// `Name: value` lines; a name must be an RFC 9110 token, a value printable (UTF-8 allowed in values).
    static func headers(_ text: ArraySlice<UInt8>) throws -> [(name: String, value: String)] {
        var result: [(String, String)] = []
        var lines: [ArraySlice<UInt8>] = []
        var start = text.startIndex
        var k = text.startIndex
        while k < text.endIndex {
            if text[k] == 13, k + 1 < text.endIndex, text[k + 1] == 10 {
                lines.append(text[start..<k])
                k += 2
                start = k
            } else {
                k += 1
            }
        }
        lines.append(text[start..<text.endIndex])
        for line in lines where !line.isEmpty {
            guard let colon = line.firstIndex(of: 58), colon > line.startIndex else { throw Malformed(reason: "a part header has no name") }
            let name = line[line.startIndex..<colon]
            guard name.allSatisfy(isTokenByte) else { throw Malformed(reason: "a part header name holds a byte that is not allowed") }
            guard let value = String(validating: line[(colon + 1)...], as: UTF8.self) else {
                throw Malformed(reason: "a part header value is not UTF-8")
            }
            result.append((String(decoding: name, as: UTF8.self).lowercased(), value.trimmingCharacters(in: .whitespaces)))
        }
        return result
    }

    static func isTokenByte(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): return true
        default: return Array("!#$%&'*+-.^_`|~".utf8).contains(b)
        }
    }

    /// The first index at or after `from` where `pattern` starts in `bytes`.
    static func find(_ pattern: [UInt8], in bytes: [UInt8], from: Int) -> Int? {
        guard let first = pattern.first, bytes.count >= pattern.count else { return nil }
        var k = from
        let last = bytes.count - pattern.count
        while k <= last {
            if bytes[k] == first && bytes[k..<k + pattern.count].elementsEqual(pattern) { return k }
            k += 1
        }
        return nil
    }
}
