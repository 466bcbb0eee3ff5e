import Foundation
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// One answer of the service.
struct HTTPReply {
    let status: Int
    let data: Data
    let headers: [String: String]

    var text: String { String(decoding: data, as: UTF8.self) }
    var json: [String: Any]? { try? JSONSerialization.jsonObject(with: data) as? [String: Any] }
    /// `error.code` and `error.message` of an error answer.
    var error: (code: String, message: String)? {
        guard let error = json?["error"] as? [String: Any], let code = error["code"] as? String, let message = error["message"] as? String
        else { return nil }
        return (code, message)
    }
}

/// A blocking HTTP client over URLSession, for tests.
enum HTTP {
    static let session = URLSession(configuration: .ephemeral)

    static func send(
        _ url: String, method: String = "GET", headers: [String: String] = [:], body: Data? = nil, timeout: Double = 60
    ) throws -> HTTPReply {
        var request = URLRequest(url: URL(string: url)!, timeoutInterval: timeout)
        request.httpMethod = method
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        request.httpBody = body
        let done = DispatchSemaphore(value: 0)
        let box = Box()
        session.dataTask(with: request) { data, response, error in
            box.result = (data, response as? HTTPURLResponse, error)
            done.signal()
        }.resume()
        done.wait()
        if let error = box.result?.2 { throw error }
        let response = box.result!.1!
        var fields: [String: String] = [:]
        for (key, value) in response.allHeaderFields { fields[String(describing: key).lowercased()] = String(describing: value) }
        return HTTPReply(status: response.statusCode, data: box.result?.0 ?? Data(), headers: fields)
    }

    /// A multipart/form-data body of `parts` (field name, bytes); the Content-Type with its boundary.
    static func multipart(_ parts: [(name: String, data: Data)]) -> (contentType: String, body: Data) {
        let boundary = "facenet-test-\(UUID().uuidString)"
        var body = Data()
        for part in parts {
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(part.name)\"; filename=\"photo.jpg\"\r\nContent-Type: application/octet-stream\r\n\r\n".utf8))
            body.append(part.data)
            body.append(Data("\r\n".utf8))
        }
        body.append(Data("--\(boundary)--\r\n".utf8))
        return ("multipart/form-data; boundary=\(boundary)", body)
    }

    /// POSTs `parts` as multipart to `url` with `key`.
    static func upload(_ url: String, key: String?, _ parts: [(name: String, data: Data)]) throws -> HTTPReply {
        let (type, body) = multipart(parts)
        var headers = ["Content-Type": type]
        if let key { headers["x-api-key"] = key }
        return try send(url, method: "POST", headers: headers, body: body)
    }

    private final class Box: @unchecked Sendable {
        var result: (Data?, HTTPURLResponse?, (any Error)?)?
    }
}

/// A hand-driven HTTP/1.1 connection (POSIX sockets): sends a request in pieces, so that a test can act while
/// the request is in flight (SIGTERM during its body). Hand-written: URLSession sends a body all at once.
final class RawConnection {
    private let fd: Int32

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard status == 0 else { throw NSError(domain: "RawConnection", code: Int(errno)) }
    }

    func write(_ data: Data) {
        data.withUnsafeBytes { raw in
            var sent = 0
            while sent < raw.count {
                let n = send(fd, raw.baseAddress! + sent, raw.count - sent, Int32(MSG_NOSIGNAL))
                if n <= 0 { return }
                sent += n
            }
        }
    }

    /// Everything the server sends until it closes the connection.
    func readAll() -> String {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { break }
            data.append(contentsOf: buffer[0..<n])
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// One response (its head and a body of its Content-Length), or what arrived within `seconds`.
    func readResponse(seconds: Int) -> String {
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            if let end = data.range(of: Data("\r\n\r\n".utf8)) {
                let head = String(decoding: data[..<end.lowerBound], as: UTF8.self).lowercased()
                let length = head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                    .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
                if data.count - end.upperBound >= length { return String(decoding: data, as: UTF8.self) }
            }
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { return String(decoding: data, as: UTF8.self) }
            data.append(contentsOf: buffer[0..<n])
        }
    }

    deinit { close(fd) }
}
