import Foundation
import TestSupport
import Vision
import XCTest

/// A small aligned-looking dataset for training tests: LFW photos of the first `people` identities with
/// at least `images` photos, centre-cropped to 160x160 PNGs (LFW faces sit in the middle of the frame).
enum TinyData {
    static func make(in folder: TemporaryFolder, people: Int = 8, images: Int = 4) throws -> String {
        let lfw = Reference.sharedData + "/lfw/lfw"
        let root = folder.file("faces")
        var made = 0
        for person in try ImageFolder.identityNames(root: lfw) where made < people {
            let names = try ImageFolder.imageNames(in: "\(lfw)/\(person)")
            guard names.count >= images else { continue }
            try FileManager.default.createDirectory(atPath: "\(root)/\(person)", withIntermediateDirectories: true)
            for name in names.prefix(images) {
                let face = try XCTUnwrap(try Image.load(path: "\(lfw)/\(person)/\(name)").cropped(x0: 45, y0: 45, x1: 205, y1: 205))
                try face.writePNG(to: "\(root)/\(person)/\((name as NSString).deletingPathExtension).png")
            }
            made += 1
        }
        return root
    }

    /// A config file for a tiny run over `root`; `extra` lines add fields or replace the defaults here.
    static func config(in folder: TemporaryFolder, root: String, runDir: String, extra: String = "") throws -> String {
        let text = """
            data_dir: \(root)
            image_size: 80
            random_crop: false
            init_from: scratch
            people_per_batch: 4
            images_per_person: 3
            batch_size: 6
            miner: margin
            policy: all
            optimizer: adam
            learning_rate: 0.001
            ema_decay: 0.99
            max_steps: 8
            checkpoint_every: 1
            validate_every: 0
            run_dir: \(runDir)
            seed: 11
            threads: 2
            precision: fp32
            """
        // A field of `extra` replaces the base line (a config may name a field only once).
        let extraLines = extra.split(separator: "\n").map(String.init)
        let replaced = Set(extraLines.compactMap { $0.split(separator: ":").first.map(String.init) })
        let lines = text.split(separator: "\n").map(String.init).filter { line in
            !replaced.contains(String(line.split(separator: ":").first ?? ""))
        }
        let path = folder.file("config-\(UUID().uuidString).yaml")
        try (lines + extraLines).joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}
