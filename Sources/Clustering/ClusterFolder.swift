import Foundation
import Support

/// Where a face is in its photo: its index among the photo's detected faces (MTCNN's order) and its box.
public struct FaceLocation: Sendable {
    public var face: Int
    public var box: (x1: Double, y1: Double, x2: Double, y2: Double)

    public init(face: Int, box: (x1: Double, y1: Double, x2: Double, y2: Double)) {
        self.face = face
        self.box = box
    }
}

/// `facenet cluster`'s output folder: `cluster_0001/` ... (largest cluster first) and `noise/`, each holding
/// symbolic links to the clustered images, and `clusters.csv` (`path,cluster,size`; noise rows have cluster
/// `noise` and size 0). For faces found in photos the CSV also says which face of the photo each row is
/// (`path,face,x1,y1,x2,y2,cluster,size`), and a photo appears once per face it holds.
///
/// A rerun into the same folder first removes the cluster folders an earlier run left (folders named
/// `cluster_NNNN` or `noise` holding only symbolic links); a folder of that name with anything else in it is
/// refused rather than deleted. The CSV is written last, through a temporary file (`AtomicFile`), so its
/// presence means the links beside it are complete.
public struct ClusterFolder {
    public static let csvName = "clusters.csv"
    public static let noiseName = "noise"

    public let path: String

    public init(path: String) { self.path = path }

    /// `cluster_0001` for cluster 0: numbered from 1, at least four digits.
    public static func name(ofCluster index: Int) -> String { String(format: "cluster_%04d", index + 1) }

    /// Writes the clusters of the images `paths` (relative to `root`, which may itself be relative to the
    /// current folder); `locations`, one per path, when the images are photos.
    public func write(clusters: Clusters, paths: [String], root: String, locations: [FaceLocation]? = nil) throws {
        precondition(clusters.labels.count == paths.count, "ClusterFolder: \(paths.count) paths, \(clusters.labels.count) labels")
        precondition(locations.map { $0.count == paths.count } ?? true, "ClusterFolder: \(paths.count) paths, \(locations!.count) locations")
        let files = FileManager.default
        try create(path)
        try removeEarlierClusters()
        let absoluteRoot = root.hasPrefix("/") ? root : files.currentDirectoryPath + "/" + root
        let progress = Progress(label: "cluster: links", total: paths.count)
        var csv = locations == nil ? "path,cluster,size\n" : "path,face,x1,y1,x2,y2,cluster,size\n"
        var groups = clusters.members.enumerated().map { (Self.name(ofCluster: $0.offset), $0.element) }
        if !clusters.noise.isEmpty { groups.append((Self.noiseName, clusters.noise)) }
        for (name, items) in groups {
            let folder = path + "/" + name
            try create(folder)
            var used = Set<String>()
            for item in items {
                let link = folder + "/" + Self.uniqueName(for: paths[item], taken: &used)
                do {
                    try files.createSymbolicLink(atPath: link, withDestinationPath: absoluteRoot + "/" + paths[item])
                } catch {
                    throw UserError("cannot create the link \(link): \(error.localizedDescription)")
                }
                let size = name == Self.noiseName ? 0 : items.count
                let location = locations.map { l in
                    let b = l[item].box
                    return String(format: ",%d,%.1f,%.1f,%.1f,%.1f", l[item].face, b.x1, b.y1, b.x2, b.y2)
                }
                csv += "\(Self.csvField(paths[item]))\(location ?? ""),\(name),\(size)\n"
            }
            progress.advance(by: items.count)
        }
        progress.finish()
        try AtomicFile.write(Data(csv.utf8), to: path + "/" + Self.csvName)
    }

    /// The image's file name, or `stem-2.ext`, `stem-3.ext`, ... when another image of the cluster has it
    /// (two identity folders may hold files of the same name).
    static func uniqueName(for relativePath: String, taken: inout Set<String>) -> String {
        let base = (relativePath as NSString).lastPathComponent
        var name = base
        var k = 2
        while taken.contains(name) {
            let stem = (base as NSString).deletingPathExtension
            let ext = (base as NSString).pathExtension
            name = ext.isEmpty ? "\(stem)-\(k)" : "\(stem)-\(k).\(ext)"
            k += 1
        }
        taken.insert(name)
        return name
    }

    /// RFC 4180 quoting when the path holds a comma, a quote or a line break.
    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func isClusterFolderName(_ name: String) -> Bool {
        if name == noiseName { return true }
        guard name.hasPrefix("cluster_") else { return false }
        let digits = name.dropFirst("cluster_".count)
        return digits.count >= 4 && digits.allSatisfy(\.isASCII) && digits.allSatisfy(\.isNumber)
    }

    private func removeEarlierClusters() throws {
        let files = FileManager.default
        for name in try files.contentsOfDirectory(atPath: path) where Self.isClusterFolderName(name) {
            let folder = path + "/" + name
            let entries = (try? files.contentsOfDirectory(atPath: folder)) ?? []
            let onlyLinks = entries.allSatisfy { entry in
                ((try? files.attributesOfItem(atPath: folder + "/" + entry))?[.type] as? FileAttributeType)
                    == .typeSymbolicLink
            }
            guard onlyLinks else {
                throw UserError(
                    "--out \(path): \(folder) holds files other than the links facenet cluster writes; "
                        + "move them or choose another --out folder")
            }
            try files.removeItem(atPath: folder)
        }
    }

    private func create(_ folder: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw UserError("cannot create the folder \(folder): \(error.localizedDescription)")
        }
    }
}
