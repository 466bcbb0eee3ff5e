import Alignment
import Recognition
import XCTest

/// The tracker and the vote on hand-made boxes.
///
/// Two faces, 40 px wide, detected on frames 0, 3, 6, 9 (every 3rd):
///
///   frame | face A box (x1, y1, x2, y2) | face B box        | what happens
///   ------+-----------------------------+-------------------+-----------------------------------------------
///     0   | (0, 0, 40, 40)              | (200, 0, 240, 40) | tracks 1 (A) and 2 (B) start
///     3   | (12, 0, 52, 40)  IoU 0.538  | (200, 0, 240, 40) | A paired by IoU; velocity (4, 0, 4, 0) per frame
///     4   | guessed (16, 0, 56, 40)     | guessed (200, ...)| advance: last detection + 1 frame of velocity
///     6   | (48, 0, 88, 40)             | (not detected)    | A: guess 12 + 3 * 4 -> (24, 0, 64, 40); IoU
///         |                             |                   | 16 * 40 / (3200 - 640) = 0.25 < 0.3, refused;
///         |                             |                   | centre shift (68 - 44) / 40 = 0.6 <= 0.8: paired.
///         |                             |                   | Velocity (48 - 12) / 3 = 12. B missed once (kept)
///     9   | (84, 0, 124, 40) = guess    | (not detected)    | A paired (IoU 1); B missed twice (kept: maxMissed 2)
///    12   | (120, 0, 160, 40) = guess   | (not detected)    | B missed 3 times > 2: ends; last seen frame 5,
///         |                             |                   | the one before the first detection frame missing it
///
/// IoU at frame 3: intersection 28 * 40 = 1120, union 1600 + 1600 - 1120 = 2080, 1120 / 2080 = 0.538.
final class FaceTrackerTests: XCTestCase {
    func box(_ x1: Float, _ y1: Float, _ x2: Float, _ y2: Float) -> FaceBox { FaceBox(x1: x1, y1: y1, x2: x2, y2: y2) }

    func testTable() {
        XCTAssertEqual(box(0, 0, 40, 40).iou(box(12, 0, 52, 40)), 1120 / 2080, accuracy: 1e-6)
        XCTAssertEqual(box(48, 0, 88, 40).iou(box(24, 0, 64, 40)), 0.25, accuracy: 1e-6)
        XCTAssertEqual(box(48, 0, 88, 40).centreDistance(box(24, 0, 64, 40)), 24, accuracy: 1e-6)

        var tracker = FaceTracker()
        XCTAssertEqual(tracker.update(frame: 0, detections: [box(0, 0, 40, 40), box(200, 0, 240, 40)]).trackOfDetection, [1, 2])
        XCTAssertEqual(tracker.update(frame: 3, detections: [box(200, 0, 240, 40), box(12, 0, 52, 40)]).trackOfDetection, [2, 1])
        tracker.advance(to: 4)
        XCTAssertEqual(tracker.tracks.first { $0.id == 1 }!.box, box(16, 0, 56, 40))
        XCTAssertEqual(tracker.tracks.first { $0.id == 2 }!.box, box(200, 0, 240, 40))

        XCTAssertEqual(tracker.update(frame: 6, detections: [box(48, 0, 88, 40)]).trackOfDetection, [1])
        tracker.advance(to: 9)
        XCTAssertEqual(tracker.tracks.first { $0.id == 1 }!.box, box(84, 0, 124, 40))
        XCTAssertEqual(tracker.update(frame: 9, detections: [box(84, 0, 124, 40)]).trackOfDetection, [1])
        XCTAssertEqual(tracker.tracks.map(\.id), [1, 2], "B missed twice: kept")
        let (ids, ended) = tracker.update(frame: 12, detections: [box(120, 0, 160, 40)])
        XCTAssertEqual(ids, [1])
        XCTAssertEqual(ended.map(\.id), [2])
        XCTAssertEqual(ended[0].firstFrame, 0)
        XCTAssertEqual(ended[0].lastSeenFrame, 5, "shown up to the frame before the first detection that missed it")
        XCTAssertEqual(tracker.finish().map(\.id), [1])
    }

    /// A detection too far from every track (shift > 0.8 of the side) or of another size starts a new track.
    func testFarOrResizedDetectionStartsATrack() {
        var tracker = FaceTracker()
        _ = tracker.update(frame: 0, detections: [box(0, 0, 40, 40)])
        // Centre shift 36 / 40 = 0.9 > 0.8, IoU 4*40 / (3200 - 160) = 0.053.
        XCTAssertEqual(tracker.update(frame: 1, detections: [box(36, 0, 76, 40)]).trackOfDetection, [2])
        // Same centre as track 2, but 2.5x its side.
        XCTAssertEqual(tracker.update(frame: 2, detections: [box(6, -30, 106, 70)]).trackOfDetection, [3])
    }

    /// Votes (nil: unknown) and the leader after each:
    ///
    ///   vote    | unknown | A | B | leader  | switches
    ///   --------+---------+---+---+---------+---------
    ///   unknown |    1    | 0 | 0 | unknown | 0
    ///   A       |    1    | 1 | 0 | unknown | 0   (a tie keeps the leader)
    ///   A       |    1    | 2 | 0 | A       | 0   (named late: not a switch)
    ///   B       |    1    | 2 | 1 | A       | 0
    ///   B       |    1    | 2 | 2 | A       | 0
    ///   B       |    1    | 2 | 3 | B       | 1
    ///   unknown |    2    | 2 | 3 | B       | 1
    func testVote() {
        var vote = TrackVote()
        let steps: [(String?, String?, Int)] = [
            (nil, nil, 0), ("A", nil, 0), ("A", "A", 0), ("B", "A", 0), ("B", "A", 0), ("B", "B", 1), (nil, "B", 1),
        ]
        for (k, (name, leader, switches)) in steps.enumerated() {
            vote.add(name)
            XCTAssertEqual(vote.leader, leader, "after vote \(k + 1)")
            XCTAssertEqual(vote.switches, switches, "after vote \(k + 1)")
        }
        XCTAssertEqual(vote.votes, [nil: 2, "A": 2, "B": 3])
        XCTAssertEqual(vote.total, 7)
    }
}
