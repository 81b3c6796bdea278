import FerryCodec
import FerryRPC

/// The parts of the Connect protocol that are not gRPC's: its error model (code names, HTTP
/// statuses, the JSON error), its end-of-stream message and how a unary response carries trailers.
enum ConnectCoding {
    /// The flag of the last message of a Connect stream: JSON with the error and the trailers.
    static let endStreamFlag: UInt8 = 0x02

    /// Connect's name for a status code (`not_found`); `ok` has none in the protocol.
    static func codeName(_ code: Status.Code) -> String {
        switch code {
        case .cancelled: "canceled"
        case .invalidArgument: "invalid_argument"
        case .deadlineExceeded: "deadline_exceeded"
        case .notFound: "not_found"
        case .alreadyExists: "already_exists"
        case .permissionDenied: "permission_denied"
        case .resourceExhausted: "resource_exhausted"
        case .failedPrecondition: "failed_precondition"
        case .aborted: "aborted"
        case .outOfRange: "out_of_range"
        case .unimplemented: "unimplemented"
        case .internalError: "internal"
        case .unavailable: "unavailable"
        case .dataLoss: "data_loss"
        case .unauthenticated: "unauthenticated"
        case .ok: "ok"
        default: "unknown"
        }
    }

    /// The HTTP status a failed Connect unary call answers with (the specification's table).
    static func httpStatus(_ code: Status.Code) -> Int {
        switch code {
        case .ok: 200
        case .cancelled: 499
        case .invalidArgument, .failedPrecondition, .outOfRange: 400
        case .deadlineExceeded: 504
        case .notFound: 404
        case .alreadyExists, .aborted: 409
        case .permissionDenied: 403
        case .resourceExhausted: 429
        case .unimplemented: 501
        case .unavailable: 503
        case .unauthenticated: 401
        default: 500
        }
    }

    /// The JSON error object: `code`, `message` when there is one, and `details` from the
    /// `grpc-status-details-bin` trailer (each `google.protobuf.Any` as its type name and its
    /// unpadded base64 value).
    static func errorObject(_ status: Status, metadata: Metadata) -> Google_Protobuf_Value {
        var object = Google_Protobuf_Struct()
        object.fields["code"] = .init(.stringValue(codeName(status.code)))
        if !status.message.isEmpty { object.fields["message"] = .init(.stringValue(status.message)) }
        let details = metadata[binaryValues: RPCError.statusDetailsKey].flatMap(detailObjects)
        if !details.isEmpty {
            var list = Google_Protobuf_ListValue()
            list.values = details
            object.fields["details"] = .init(.listValue(list))
        }
        return .init(.structValue(object))
    }

    /// The body of a failed Connect unary call.
    static func errorBody(_ status: Status, metadata: Metadata) -> [UInt8] {
        json(errorObject(status, metadata: metadata))
    }

    /// The end-of-stream message of a Connect stream, framed with ``endStreamFlag``: the error
    /// unless the status is OK, and the trailers as `metadata` (a list of strings per key).
    static func endStreamMessage(_ status: Status, trailers: Metadata) -> [UInt8] {
        var object = Google_Protobuf_Struct()
        if status.code != .ok { object.fields["error"] = errorObject(status, metadata: trailers) }
        var byKey: [String: [Google_Protobuf_Value]] = [:]
        for field in HeaderCoding.fields(from: trailers) {
            byKey[field.name, default: []].append(.init(.stringValue(field.value)))
        }
        if !byKey.isEmpty {
            var metadata = Google_Protobuf_Struct()
            for (key, values) in byKey {
                var list = Google_Protobuf_ListValue()
                list.values = values
                metadata.fields[key] = .init(.listValue(list))
            }
            object.fields["metadata"] = .init(.structValue(metadata))
        }
        var framed = GRPCMessageDeframer.frame(json(.init(.structValue(object))))
        framed[0] = endStreamFlag
        return framed
    }

    /// Trailers of a unary response travel as headers named `trailer-<key>`.
    static func unaryTrailerFields(_ trailers: Metadata) -> [HeaderField] {
        HeaderCoding.fields(from: trailers).map { HeaderField("trailer-" + $0.name, $0.value) }
    }

    /// The code Connect names `name`; nil for a name it does not have.
    static func code(named name: String) -> Status.Code? {
        switch name {
        case "canceled": .cancelled
        case "unknown": .unknown
        case "invalid_argument": .invalidArgument
        case "deadline_exceeded": .deadlineExceeded
        case "not_found": .notFound
        case "already_exists": .alreadyExists
        case "permission_denied": .permissionDenied
        case "resource_exhausted": .resourceExhausted
        case "failed_precondition": .failedPrecondition
        case "aborted": .aborted
        case "out_of_range": .outOfRange
        case "unimplemented": .unimplemented
        case "internal": .internalError
        case "unavailable": .unavailable
        case "data_loss": .dataLoss
        case "unauthenticated": .unauthenticated
        default: nil
        }
    }

    /// The status of a Connect error object, and its details as a `grpc-status-details-bin`
    /// trailer (a serialized `google.rpc.Status`), as gRPC callers read them. `fallback` is the
    /// code when the object names none Connect has (from the HTTP status).
    static func status(
        fromError object: Google_Protobuf_Struct,
        fallback: Status.Code
    ) -> (Status, Metadata) {
        func string(_ key: String) -> String? {
            if case .stringValue(let text)? = object.fields[key]?.kind { return text }
            return nil
        }
        let code = string("code").flatMap(code(named:)) ?? fallback
        let message = string("message") ?? ""
        var metadata = Metadata()
        if case .listValue(let list)? = object.fields["details"]?.kind, !list.values.isEmpty {
            // google.rpc.Status: 1 code, 2 message, 3 repeated Any.
            var bytes: [UInt8] = [0x08]
            appendVarint(UInt64(code.rawValue), to: &bytes)
            if !message.isEmpty { appendField(2, Array(message.utf8), to: &bytes) }
            for case .structValue(let detail)? in list.values.map(\.kind) {
                guard case .stringValue(let type)? = detail.fields["type"]?.kind,
                    case .stringValue(let value)? = detail.fields["value"]?.kind,
                    let decoded = Base64.decode(value, acceptingURLSafe: true)
                else { continue }
                var any = Google_Protobuf_Any()
                any.typeUrl = "type.googleapis.com/" + type
                any.value = decoded
                appendField(3, any.serializedBytes(), to: &bytes)
            }
            metadata.addBinary(bytes, forKey: RPCError.statusDetailsKey)
        }
        return (Status(code: code, message: message), metadata)
    }

    /// The status and trailers of a Connect end-of-stream message; nil when it is not JSON.
    static func endStream(_ payload: [UInt8]) -> (Status, Metadata)? {
        guard let object = try? Google_Protobuf_Struct(jsonString: String(decoding: payload, as: UTF8.self)) else {
            return nil
        }
        var trailers = Metadata()
        if case .structValue(let fields)? = object.fields["metadata"]?.kind {
            var received: [HeaderField] = []
            for (key, value) in fields.fields.sorted(by: { $0.key < $1.key }) {
                guard case .listValue(let list) = value.kind else { continue }
                for case .stringValue(let text) in list.values.map(\.kind) {
                    received.append(HeaderField(key.lowercased(), text))
                }
            }
            trailers = HeaderCoding.metadata(from: received)
        }
        guard case .structValue(let error)? = object.fields["error"]?.kind else {
            return (Status(code: .ok, message: ""), trailers)
        }
        let (status, details) = ConnectCoding.status(fromError: error, fallback: .unknown)
        for element in details { trailers.add(element.value, forKey: element.key) }
        return (status, trailers)
    }

    private static func appendVarint(_ value: UInt64, to bytes: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    private static func appendField(_ number: UInt64, _ payload: [UInt8], to bytes: inout [UInt8]) {
        appendVarint(number << 3 | 2, to: &bytes)
        appendVarint(UInt64(payload.count), to: &bytes)
        bytes += payload
    }

    /// A Connect GET request, read from its query string: the message (percent-encoded, or
    /// base64url with `base64=1`), its codec (`encoding`) and compression (`compression`).
    struct GetRequest: Equatable {
        var message: [UInt8]
        var codec: MessageCodec
        var compression: String?
    }

    /// The request a GET's query carries, or the status that refuses it (INVALID_ARGUMENT).
    static func getRequest(query: Substring) -> Result<GetRequest, RPCError> {
        var items: [String: [UInt8]] = [:]
        for item in query.split(separator: "&") {
            let pair = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = String(decoding: percentDecoded(pair[0]), as: UTF8.self)
            if items[key] == nil { items[key] = pair.count > 1 ? percentDecoded(pair[1]) : [] }
        }
        func text(_ key: String) -> String? { items[key].map { String(decoding: $0, as: UTF8.self) } }
        let codec: MessageCodec
        switch text("encoding") {
        case "proto": codec = .proto
        case "json": codec = .json
        default:
            return .failure(
                RPCError(code: .invalidArgument, message: "A Connect GET needs encoding=proto or encoding=json.")
            )
        }
        if let version = text("connect"), version != "v1" {
            return .failure(
                RPCError(code: .invalidArgument, message: "Connect protocol version '\(version)' is not v1.")
            )
        }
        var message = items["message"] ?? []
        if text("base64") == "1" {
            guard let decoded = Base64.decode(String(decoding: message, as: UTF8.self), acceptingURLSafe: true) else {
                return .failure(RPCError(code: .invalidArgument, message: "The GET's message is not base64url."))
            }
            message = decoded
        }
        return .success(GetRequest(message: message, codec: codec, compression: text("compression")))
    }

    /// Query-string bytes with `%XX` decoded and `+` read as a space.
    private static func percentDecoded(_ text: Substring) -> [UInt8] {
        var output: [UInt8] = []
        var bytes = text.utf8.makeIterator()
        func hex(_ byte: UInt8?) -> UInt8? {
            switch byte {
            case let digit? where digit >= UInt8(ascii: "0") && digit <= UInt8(ascii: "9"): digit - UInt8(ascii: "0")
            case let letter? where letter >= UInt8(ascii: "a") && letter <= UInt8(ascii: "f"): letter - 87
            case let letter? where letter >= UInt8(ascii: "A") && letter <= UInt8(ascii: "F"): letter - 55
            default: nil
            }
        }
        while let byte = bytes.next() {
            switch byte {
            case UInt8(ascii: "%"):
                let high = bytes.next()
                let low = bytes.next()
                if let high = hex(high), let low = hex(low) { output.append(high << 4 | low) }
            case UInt8(ascii: "+"): output.append(0x20)
            default: output.append(byte)
            }
        }
        return output
    }

    private static func json(_ value: Google_Protobuf_Value) -> [UInt8] {
        // A Struct of strings, lists and objects always prints.
        (try? value.jsonUTF8Bytes()) ?? Array(#"{"code":"internal"}"#.utf8)
    }

    /// The `details` of a serialized `google.rpc.Status` (field 3, each a `google.protobuf.Any`),
    /// read field by field; nothing when the bytes do not parse.
    private static func detailObjects(_ statusBytes: [UInt8]) -> [Google_Protobuf_Value] {
        var details: [Google_Protobuf_Value] = []
        var index = 0
        func varint() -> UInt64? {
            var value: UInt64 = 0
            for shift in stride(from: 0, to: 64, by: 7) {
                guard index < statusBytes.count else { return nil }
                let byte = statusBytes[index]
                index += 1
                value |= UInt64(byte & 0x7F) << UInt64(shift)
                if byte < 0x80 { return value }
            }
            return nil
        }
        while index < statusBytes.count {
            guard let tag = varint() else { return [] }
            switch tag & 7 {
            case 0:
                guard varint() != nil else { return [] }
            case 2:
                guard let length = varint(), length <= UInt64(statusBytes.count - index) else { return [] }
                let end = index + Int(length)
                if tag >> 3 == 3, let any = try? Google_Protobuf_Any(serializedBytes: Array(statusBytes[index..<end])) {
                    let name = any.typeUrl.split(separator: "/").last.map(String.init) ?? any.typeUrl
                    var encoded = Base64.encode(any.value)
                    while encoded.hasSuffix("=") { encoded.removeLast() }
                    details.append(["type": .init(.stringValue(name)), "value": .init(.stringValue(encoded))])
                }
                index = end
            default:
                return []
            }
        }
        return details
    }
}
