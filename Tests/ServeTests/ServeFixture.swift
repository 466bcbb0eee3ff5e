import Foundation
import Support
import TestSupport
import XCTest

/// A throw-away gallery for the service's tests: LFW people enrolled with `facenet enroll` (two photos
/// each), and a read and a write key made with `facenet serve keys add`.
final class ServeFixture {
    /// LFW people with many photos: photos 1 and 2 are enrolled, later ones are probes.
    static let people = ["Ariel_Sharon", "Colin_Powell", "Donald_Rumsfeld", "George_W_Bush", "Gerhard_Schroeder", "Hugo_Chavez", "Tony_Blair"]
    /// LFW people who are not enrolled.
    static let strangers = ["Aaron_Eckhart", "Angela_Merkel"]

    let folder: TemporaryFolder
    let gallery: String
    let readKey: String
    let writeKey: String

    static func photo(_ person: String, _ number: Int) -> String {
        String(format: "%@/%@/%@_%04d.jpg", PhotoFixtures.lfw, person, person, number)
    }

    static func bytes(_ person: String, _ number: Int) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: photo(person, number)))
    }

    nonisolated(unsafe) private static var made: ServeFixture?
    private static let lock = NSLock()

    /// One gallery for the whole run (`facenet enroll` loads the model: about 10 s in a debug build).
    static func shared() throws -> ServeFixture {
        try lock.withLock {
            if let made { return made }
            let fixture = try ServeFixture()
            made = fixture
            return fixture
        }
    }

    /// A copy of the gallery file (with the same keys) for a test that changes or damages it.
    func copy(to folder: TemporaryFolder) throws -> String {
        let path = folder.file("gallery.db")
        for suffix in ["", "-wal"] where FileManager.default.fileExists(atPath: gallery + suffix) {
            try FileManager.default.copyItem(atPath: gallery + suffix, toPath: path + suffix)
        }
        return path
    }

    /// `gallery`: where to enroll (default: a file in a new folder; a postgres:// URL for the replica tests).
    init(people: [String] = ServeFixture.people, photos: [Int] = [1, 2], gallery: String? = nil) throws {
        try PhotoFixtures.requireData()
        try XCTSkipUnless(FileManager.default.fileExists(atPath: PhotoFixtures.lfw), "LFW is not at \(PhotoFixtures.lfw)")
        folder = try TemporaryFolder("facenet-serve")
        self.gallery = gallery ?? folder.file("gallery.db")
        let root = folder.file("people")
        for person in people {
            try FileManager.default.createDirectory(atPath: root + "/" + person, withIntermediateDirectories: true)
            for number in photos {
                try FileManager.default.createSymbolicLink(
                    atPath: String(format: "%@/%@/%04d.jpg", root, person, number), withDestinationPath: Self.photo(person, number))
            }
        }
        let enroll = try FacenetProcess.run(["enroll", root, "--gallery", self.gallery, "--largest"])
        XCTAssertEqual(enroll.status, 0, enroll.text)
        readKey = try Self.key("read", self.gallery)
        writeKey = try Self.key("write", self.gallery)
    }

    private static func key(_ role: String, _ gallery: String) throws -> String {
        let made = try FacenetProcess.run(["serve", "keys", "add", "--role", role, "--gallery", gallery])
        XCTAssertEqual(made.status, 0, made.text)
        let key = String(try XCTUnwrap(made.output.split(separator: "\n").last))
        XCTAssertTrue(key.hasPrefix("fnk_") && key.count == 68, key)
        return key
    }
}
