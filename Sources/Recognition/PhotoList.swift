import Foundation
import Support
import Vision

/// The photos named on a command line: files as given, folders searched recursively for image files (by
/// extension), each folder's in sorted order.
public enum PhotoList {
    public static func expand(_ paths: [String]) throws -> [String] {
        var photos: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw UserError("\(path) does not exist")
            }
            guard isDirectory.boolValue else {
                photos.append(path)
                continue
            }
            let found = (FileManager.default.enumerator(atPath: path)?.allObjects as? [String] ?? [])
                .filter { ImageFolder.isImageFileName(($0 as NSString).lastPathComponent) }
            photos += ImageFolder.sortedByCodePoint(found).map { (path as NSString).appendingPathComponent($0) }
        }
        return photos
    }
}
