import TripletMining

/// Eight faces on a line (1-D points, so every squared distance is worked out by hand), shared by the worked
/// examples of both algorithms.
///
///     face   x       squared distances to the faces within 0.07 (every other pair is >= 0.09)
///     0      0       1: 0.04    2: 0.0625
///     1      0.2     0: 0.04    2: 0.0025        (1-3: 0.09)
///     2      0.25    0: 0.0625  1: 0.0025  3: 0.0625
///     3      0.5     2: 0.0625  4: 0.0625        (2-4: 0.25)
///     4      0.75    3: 0.0625
///     5      3.0     6: 0.01    7: 0.04
///     6      3.1     5: 0.01    7: 0.01
///     7      3.2     5: 0.04    6: 0.01
///
/// With threshold (or eps) 0.07 the graph is the triangle {0, 1, 2}, the path 2-3-4 hanging off it, and
/// the triangle {5, 6, 7}. Neighbours within eps, the face itself included: 0: 3, 1: 3, 2: 4, 3: 3, 4: 2,
/// 5: 3, 6: 3, 7: 3.
enum LineFaces {
    static let x: [Double] = [0, 0.2, 0.25, 0.5, 0.75, 3.0, 3.1, 3.2]
    static let threshold = 0.07

    static var distances: DistanceMatrix {
        DistanceMatrix(count: x.count, values: x.flatMap { a in x.map { b in Float((a - b) * (a - b)) } })
    }
}
