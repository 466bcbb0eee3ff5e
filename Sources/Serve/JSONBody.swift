import Eval
import Foundation
import Hummingbird

/// JSON responses through Eval's ordered `JSONValue` (keys in the order written, as the CLI prints them).
enum JSONBody {
    static func object(_ members: KeyValuePairs<String, JSONValue>) -> JSONValue {
        .object(members.map { JSONValue.Member($0.key, $0.value) })
    }

    static func response(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: value.compact() + "\n")))
    }
}
