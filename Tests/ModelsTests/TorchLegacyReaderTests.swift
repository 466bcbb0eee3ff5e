import Foundation
import Models
import Support
import TestSupport
import TorchBridge
import XCTest

/// The native reader of legacy torch pickles gives exactly what `torch.load` gives.
final class TorchLegacyReaderTests: XCTestCase {
    static let nets = ["pnet", "rnet", "onet"]

    struct Entry: Decodable {
        let name: String
        let shape: [Int]
        let dtype: String
        let offset: Int
        let stride: [Int]
    }

    /// Runs the torch.load reference over `files`: per file stem its entries and float32 values.
    static func reference(_ files: [String], in folder: TemporaryFolder) throws -> [String: ([Entry], [Float])] {
        let output = try Reference.run(script: "torch_legacy_state_dicts.py", arguments: [folder.path] + files)
        let manifest = try JSONDecoder().decode([String: [Entry]].self, from: Data(output.utf8))
        var result: [String: ([Entry], [Float])] = [:]
        for (stem, entries) in manifest { result[stem] = (entries, try readFloats(folder.file(stem + ".bin"))) }
        return result
    }

    static func readFloats(_ path: String) throws -> [Float] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    }

    static let dtypeNames: [String: DType] = [
        "torch.float32": .float32, "torch.float64": .float64, "torch.float16": .float16, "torch.int64": .int64,
        "torch.int32": .int32, "torch.uint8": .uint8, "torch.int8": .int8, "torch.bool": .bool,
    ]

    /// Compares a file read natively with the reference, bit for bit (after conversion to float32).
    func assertMatches(_ path: String, _ entries: [Entry], _ values: [Float], file: StaticString = #filePath, line: UInt = #line)
        throws
    {
        let ours = try TorchLegacy.readStateDict(path: path)
        XCTAssertEqual(ours.map(\.name), entries.map(\.name), "names and order", file: file, line: line)
        var position = 0
        var compared = 0
        for ((name, tensor), entry) in zip(ours, entries) {
            XCTAssertEqual(tensor.shape, entry.shape, name, file: file, line: line)
            XCTAssertEqual(try tensor.dtype, Self.dtypeNames[entry.dtype], name, file: file, line: line)
            let expected = Array(values[position..<position + entry.shape.reduce(1, *)])
            position += expected.count
            let got = try tensor.to(.float32).floats()
            XCTAssertEqual(got.map(\.bitPattern), expected.map(\.bitPattern), "values of \(name)", file: file, line: line)
            compared += got.count
        }
        XCTAssertEqual(position, values.count, file: file, line: line)
        XCTAssertGreaterThan(compared, 0, file: file, line: line)
    }

    func testEveryTensorOfTheMTCNNFilesEqualsTorchLoad() throws {
        let files = Self.nets.map(FacenetHome.mtcnnWeights)
        try XCTSkipUnless(files.allSatisfy { FileManager.default.fileExists(atPath: $0) }, "run scripts/setup.sh first")
        let folder = try TemporaryFolder()
        let reference = try Self.reference(files, in: folder)
        for (net, path) in zip(Self.nets, files) {
            let (entries, values) = try XCTUnwrap(reference[net])
            // The files store transposed (Caffe-converted) weights: non-contiguous strides must be applied.
            XCTAssertTrue(entries.contains { $0.shape.count == 4 && $0.stride.last != 1 })
            try assertMatches(path, entries, values)
        }
        // Sizes as facenet-pytorch's modules declare them.
        let onet = try TorchLegacy.loadStateDict(path: files[2])
        XCTAssertEqual(onet.count, 21)
        XCTAssertEqual(onet["dense5.weight"]?.shape, [256, 1152])
        XCTAssertEqual(onet["conv4.weight"]?.shape, [128, 64, 2, 2])
    }

    func testSharedStoragesOffsetsStridesAndDtypesEqualTorchLoad() throws {
        let folder = try TemporaryFolder()
        let path = folder.file("synthetic.pt")
        _ = try Reference.run(script: "make_legacy_torch_file.py", arguments: [path])
        let (entries, values) = try XCTUnwrap(try Self.reference([path], in: folder)["synthetic"])
        XCTAssertTrue(entries.contains { $0.offset > 0 })
        try assertMatches(path, entries, values)
    }

    // MARK: errors name the file

    func assertFails(_ path: String, _ phrase: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try TorchLegacy.loadStateDict(path: path), file: file, line: line) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains(path), "message does not name the file: \(message)", file: file, line: line)
            XCTAssertTrue(message.contains(phrase), "expected '\(phrase)' in: \(message)", file: file, line: line)
        }
    }

    func testMissingEmptyGarbageAndZipFilesAreErrorsNamingTheFile() throws {
        let folder = try TemporaryFolder()
        assertFails(folder.file("absent.pt"), "no such file")
        assertFails(folder.path, "directory")
        let empty = folder.file("empty.pt")
        try Data().write(to: URL(fileURLWithPath: empty))
        assertFails(empty, "empty file")
        let garbage = folder.file("garbage.pt")
        var generator = SystemRandomNumberGenerator()
        try Data((0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) } + [0x80])
            .write(to: URL(fileURLWithPath: garbage))
        assertFails(garbage, "not a legacy PyTorch file")
        let text = folder.file("text.pt")
        try Data("hello, this is not a tensor file\n".utf8).write(to: URL(fileURLWithPath: text))
        assertFails(text, "not a legacy PyTorch file")
        let zip = folder.file("zip.pt")
        try Data([0x50, 0x4B, 0x03, 0x04] + [UInt8](repeating: 0, count: 60)).write(to: URL(fileURLWithPath: zip))
        assertFails(zip, "zip archive")
    }

    func testTruncatedCopiesAreErrorsNamingTheFile() throws {
        let source = FacenetHome.mtcnnWeights("pnet")
        try XCTSkipUnless(FileManager.default.fileExists(atPath: source), "run scripts/setup.sh first")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: source))
        let folder = try TemporaryFolder()
        // Inside the magic number, inside the object pickle, inside the key list, inside a storage's
        // count, and one byte short of the end.
        for (i, length) in [5, 30, 700, 1900, 1940, bytes.count - 1].enumerated() {
            let path = folder.file("cut\(i).pt")
            try bytes.prefix(length).write(to: URL(fileURLWithPath: path))
            assertFails(path, "truncated file")
        }
    }

    func testUnsupportedOpcodeIsNamed() throws {
        let folder = try TemporaryFolder()
        let path = folder.file("set.pt")
        let magic: [UInt8] = [0x80, 0x02, 0x8A, 0x0A, 0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8, 0x50, 0x19, 0x2E]
        let version: [UInt8] = [0x80, 0x02, 0x4D, 0xE9, 0x03, 0x2E]
        let sysInfo: [UInt8] = [0x80, 0x02, 0x7D, 0x2E]
        let object: [UInt8] = [0x80, 0x04, 0x8F, 0x2E]  // EMPTY_SET (protocol 4)
        try Data(magic + version + sysInfo + object).write(to: URL(fileURLWithPath: path))
        assertFails(path, "unsupported pickle opcode EMPTY_SET (0x8f) at byte 27")
        // A callable other than the state-dict ones is refused by name, never called.
        let call: [UInt8] = [0x80, 0x02, 0x63] + Array("os\nsystem\n".utf8) + [0x58, 0x02, 0, 0, 0] + Array("ls".utf8)
            + [0x85, 0x52, 0x2E]
        try Data(magic + version + sysInfo + call).write(to: URL(fileURLWithPath: path))
        assertFails(path, "cannot rebuild os.system")
        var wrongMagic = magic
        wrongMagic[5] = 0
        try Data(wrongMagic + version + sysInfo).write(to: URL(fileURLWithPath: path))
        assertFails(path, "wrong magic number")
    }
}
