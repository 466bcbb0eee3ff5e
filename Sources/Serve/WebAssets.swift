import Foundation
import Support

/// The files carried in the binary (SwiftPM resources, Sources/Serve/Web): the page, its script and the
/// OpenAPI document. Read once at start; a client's path never reaches the file system.
struct WebAssets: Sendable {
    let page: String
    let script: String
    let openAPI: String

    init() throws {
        func read(_ name: String) throws -> String {
            guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Web"),
                let text = try? String(contentsOf: url, encoding: .utf8)
            else { throw UserError("the resource Web/\(name) is missing from the facenet build (\(Bundle.module.bundlePath))") }
            return text
        }
        page = try read("index.html")
        script = try read("app.js")
        openAPI = try read("openapi.yaml")
    }
}
