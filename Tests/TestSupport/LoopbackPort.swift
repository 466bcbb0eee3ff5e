import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A TCP port on 127.0.0.1 that nothing listens on now: the kernel picks it for a socket bound to port 0,
/// which is closed again at once (a test server or rendezvous store then binds it).
public enum LoopbackPort {
    public static func free() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw LoopbackPortError.noSocket }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let status = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                bind(fd, raw, length) == 0 ? getsockname(fd, raw, &length) : -1
            }
        }
        guard status == 0 else { throw LoopbackPortError.noFreePort }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

public enum LoopbackPortError: Error {
    case noSocket, noFreePort
}
