/// A track's name: a vote over the decisions of its detection frames (each frame's open-set decision, a name
/// or unknown, is one vote). The leader changes only when another name has strictly more votes, so one bad
/// frame does not rename a track. An identity switch is a change of leader once the track has been named:
/// to another name, or back to unknown (a track that starts unknown and is then named was recognised late,
/// which is not a switch).
public struct TrackVote: Sendable, Equatable {
    /// Votes by name; nil is `unknown`.
    public private(set) var votes: [String?: Int] = [:]
    /// The name with the most votes (nil: unknown, or no vote yet).
    public private(set) var leader: String?
    public private(set) var total = 0
    /// Changes of leader after the track was first named.
    public private(set) var switches = 0

    public init() {}

    public mutating func add(_ name: String?) {
        votes[name, default: 0] += 1
        total += 1
        if total == 1 {
            leader = name
        } else if name != leader, votes[name, default: 0] > votes[leader, default: 0] {
            if leader != nil { switches += 1 }
            leader = name
        }
    }
}
