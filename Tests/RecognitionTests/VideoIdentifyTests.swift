import Foundation
import Support
import TestSupport
import XCTest

/// `facenet identify --video` on a clip made by an independent script (Tests/python/make_clip.py, OpenCV's
/// VideoWriter from Python) from LFW stills: three enrolled people and one stranger, each moving across the
/// frame for 3-4 s, two at once part of the time. The script's ground truth says where each still is on
/// every frame; each track is matched to the still its boxes' centres fall in.
final class VideoIdentifyTests: XCTestCase {
    var folder: TemporaryFolder!

    override func setUpWithError() throws {
        try PhotoFixtures.requireData()
        try FacenetProcess.requireBinary()
        folder = try TemporaryFolder()
    }

    struct Appearance {
        let name: String?
        let first: Int
        let last: Int
        let rects: [Int: [Double]]
    }

    /// Makes the clip (320x240, 8 frames/s: the debug build detects about 1-2 frames/s) and enrolls the truth's
    /// gallery; returns the truth.
    func makeClipAndGallery() throws -> (appearances: [Appearance], frames: Int) {
        _ = try Reference.run(
            script: "make_clip.py",
            arguments: [PhotoFixtures.lfw, folder.file("clip.mp4"), folder.file("truth.json"), "--fps", "8", "--scale", "0.5"])
        let truth = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder.file("truth.json")))) as! [String: Any]
        for (name, photos) in truth["enroll"] as! [String: [String]] {
            try FileManager.default.createDirectory(atPath: folder.file("enroll/\(name)"), withIntermediateDirectories: true)
            for photo in photos {
                try FileManager.default.createSymbolicLink(
                    atPath: folder.file("enroll/\(name)/\((photo as NSString).lastPathComponent)"), withDestinationPath: photo)
            }
        }
        let enroll = try FacenetProcess.run(["enroll", "enroll", "--gallery", "g.db"], in: folder.path)
        XCTAssertTrue([0, ExitStatus.someSkipped].contains(enroll.status), enroll.text)
        let appearances = (truth["appearances"] as! [[String: Any]]).map { a in
            Appearance(
                name: a["name"] as? String, first: a["first"] as! Int, last: a["last"] as! Int,
                rects: Dictionary(uniqueKeysWithValues: (a["rects"] as! [String: [Double]]).map { (Int($0.key)!, $0.value) }))
        }
        return (appearances, truth["frames"] as! Int)
    }

    /// One test, so that the clip is made and the gallery enrolled once (the debug build takes ~20 s for it).
    func testVideo() throws {
        let (appearances, frames) = try makeClipAndGallery()
        try checkEveryTrackCarriesTheRightNameAndTheStrangerIsUnknown(appearances, frames)
        try checkUnreadableAndTruncatedVideos()
    }

    func checkEveryTrackCarriesTheRightNameAndTheStrangerIsUnknown(_ appearances: [Appearance], _ frames: Int) throws {
        let run = try FacenetProcess.run(
            ["identify", "--video", "clip.mp4", "--gallery", "g.db", "--annotate", "annotated.mp4"], in: folder.path)
        XCTAssertEqual(run.status, 0, run.text)
        let lines = try PhotoFixtures.lines(run.output)
        let frameLines = lines.filter { $0["frame"] != nil }
        let trackLines = lines.filter { $0["first_frame"] != nil }
        XCTAssertEqual(frameLines.count, frames)
        XCTAssertEqual(frameLines.map { $0["frame"] as! Int }, Array(0..<frames))

        // Which still each track's boxes fall in, frame by frame.
        var hits: [Int: [Int: Int]] = [:]  // track -> appearance -> frames
        // Detection frames only: between two detections a track's box is a guess, and for up to two frames
        // after a still has gone the guess is where it would have been.
        for line in frameLines where line["detected"] as! Bool {
            let frame = line["frame"] as! Int
            for face in line["faces"] as! [[String: Any]] {
                let b = face["box"] as! [Double]
                let (cx, cy) = ((b[0] + b[2]) / 2, (b[1] + b[3]) / 2)
                let track = face["track"] as! Int
                let inside = appearances.indices.filter { k in
                    guard let r = appearances[k].rects[frame] else { return false }
                    return cx >= r[0] && cx <= r[0] + r[2] && cy >= r[1] && cy <= r[1] + r[3]
                }
                XCTAssertEqual(inside.count, 1, "frame \(frame): track \(track)'s box \(b) is on no still, or on two")
                if let k = inside.first { hits[track, default: [:]][k, default: 0] += 1 }
            }
        }
        // One track per appearance (no fragment, no track following two people), named as the truth says.
        XCTAssertEqual(trackLines.count, appearances.count, run.output.split(separator: "\n").filter { $0.contains("first_frame") }.joined(separator: "\n"))
        var covered = Set<Int>()
        for track in trackLines {
            let id = track["track"] as! Int
            let on = hits[id] ?? [:]
            XCTAssertEqual(on.count, 1, "track \(id) is on the stills \(on)")
            guard let k = on.keys.first else { continue }
            covered.insert(k)
            XCTAssertEqual(track["name"] as? String, appearances[k].name ?? "unknown", "track \(id): \(track)")
            XCTAssertEqual(track["switches"] as? Int, 0, "track \(id): \(track)")
            // The track spans the still's time on screen, to within the 3-frame detection step.
            XCTAssertEqual(Double(track["first_frame"] as! Int), Double(appearances[k].first), accuracy: 3)
            XCTAssertEqual(Double(track["last_frame"] as! Int), Double(appearances[k].last), accuracy: 3)
        }
        XCTAssertEqual(covered, Set(appearances.indices))
        XCTAssertTrue(run.error.contains("4 tracks, 0 identity switches"), run.error)
        XCTAssertTrue(run.error.contains("frames/s"), run.error)

        // The annotated video, read back by OpenCV from Python: every frame, the clip's size.
        let check = try Subprocess.run(
            FacenetHome.referencePython,
            ["-c", "import cv2, sys; c = cv2.VideoCapture(sys.argv[1]); n = 0\nwhile c.read()[0]: n += 1\nprint(n, int(c.get(3)), int(c.get(4)))",
             folder.file("annotated.mp4")])
        XCTAssertEqual(check.output.trimmingCharacters(in: .whitespacesAndNewlines), "\(frames) 320 240", check.text)
    }

    /// A video that cannot be read: a text file, a truncated MP4 (its index is gone), a missing file, a
    /// truncated AVI (read up to the cut, then reported). Each exits 1 naming the file.
    func checkUnreadableAndTruncatedVideos() throws {
        try Data("not a video\n".utf8).write(to: URL(fileURLWithPath: folder.file("text.mp4")))
        let clip = try Data(contentsOf: URL(fileURLWithPath: folder.file("clip.mp4")))
        try clip.prefix(clip.count / 2).write(to: URL(fileURLWithPath: folder.file("cut.mp4")))
        for (file, message) in [
            ("text.mp4", "text.mp4: cannot be read as a video: OpenCV's FFmpeg decoder cannot open it"),
            ("cut.mp4", "cut.mp4: cannot be read as a video"),
            ("absent.mp4", "absent.mp4: no such video file"),
        ] {
            let run = try FacenetProcess.run(["identify", "--video", file, "--gallery", "g.db"], in: folder.path)
            XCTAssertEqual(run.status, ExitStatus.failure, run.text)
            XCTAssertTrue(run.error.contains(message), run.text)
        }
        // An AVI (Motion JPEG, frames stored one after another) cut in half: the frames before the cut are
        // identified, then the shortfall is an error.
        _ = try Subprocess.run(
            FacenetHome.referencePython,
            ["-c", """
                import cv2, sys
                c = cv2.VideoCapture(sys.argv[1]); w = cv2.VideoWriter(sys.argv[2], cv2.VideoWriter_fourcc(*"MJPG"), 8, (320, 240))
                while True:
                    ok, f = c.read()
                    if not ok: break
                    w.write(f)
                w.release()
                data = open(sys.argv[2], "rb").read(); open(sys.argv[2], "wb").write(data[: len(data) // 2])
                """, folder.file("clip.mp4"), folder.file("cut.avi")])
        let cut = try FacenetProcess.run(["identify", "--video", "cut.avi", "--gallery", "g.db", "--detect-every", "20"], in: folder.path)
        XCTAssertEqual(cut.status, ExitStatus.failure, cut.text)
        XCTAssertTrue(cut.error.contains("cut.avi: the decoder stopped after"), cut.text)
        XCTAssertTrue(cut.error.contains("of the 80 frames the file states (truncated or damaged)"), cut.text)
        XCTAssertGreaterThan(try PhotoFixtures.lines(cut.output).count, 10, "the frames before the cut are reported")

        // Usage: photos and a video together, a bad detection step, an annotated video onto the input.
        let both = try FacenetProcess.run(["identify", "x.jpg", "--video", "clip.mp4", "--gallery", "g.db"], in: folder.path)
        XCTAssertEqual(both.status, ExitStatus.usage, both.text)
        let step = try FacenetProcess.run(["identify", "--video", "clip.mp4", "--gallery", "g.db", "--detect-every", "0"], in: folder.path)
        XCTAssertEqual(step.status, ExitStatus.usage, step.text)
        XCTAssertTrue(step.error.contains("--detect-every must be in 1...1000"), step.text)
        let onto = try FacenetProcess.run(["identify", "--video", "clip.mp4", "--gallery", "g.db", "--annotate", "clip.mp4"], in: folder.path)
        XCTAssertEqual(onto.status, ExitStatus.failure, onto.text)
        XCTAssertTrue(onto.error.contains("--annotate"), onto.text)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: folder.file("clip.mp4"))), clip, "the input is untouched")
    }
}
