import Foundation
import Support

/// An embedding as stored in the gallery: its float32 values, little-endian, back to back (4 bytes each).
public enum EmbeddingBlob {
    public static func encode(_ values: [Float]) -> Data {
        var data = Data(capacity: values.count * 4)
        for value in values { withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        return data
    }

    /// Nil when the byte count is not `4 * dimension`.
    public static func decode(_ data: Data, dimension: Int) -> [Float]? {
        guard data.count == dimension * 4 else { return nil }
        return data.withUnsafeBytes { raw in
            (0..<dimension).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
        }
    }

    /// Face `id`'s stored embedding, or the error that says `gallery` is damaged.
    static func decode(_ data: Data, dimension: Int, face id: Int64, gallery: String) throws -> [Float] {
        guard let values = decode(data, dimension: dimension) else {
            throw UserError("\(gallery): face \(id) has \(data.count) embedding bytes, not \(dimension * 4): the gallery is damaged")
        }
        return values
    }
}
