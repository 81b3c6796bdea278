import FerryCodec
import FerryRPC

/// Converts between FerryRPC ``Metadata`` and HTTP/2 header fields, and builds gRPC's request,
/// response and trailer header blocks.
enum HeaderCoding {
    /// Header names that are part of the gRPC protocol rather than user metadata.
    static let reserved: Set<String> = [
        "content-type", "te", "grpc-timeout", "grpc-encoding", "grpc-accept-encoding", "grpc-status",
        "grpc-message", "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "host",
        // Connect's and plain HTTP's protocol headers (WireProtocol).
        "connect-protocol-version", "connect-timeout-ms", "connect-content-encoding", "connect-accept-encoding",
        "content-encoding", "accept-encoding", "content-length",
        // CORS (CORSPolicy).
        "origin", "access-control-request-method", "access-control-request-headers",
    ]

    /// The user agent Ferry sends.
    static let userAgent = "grpc-swift-ferry/0.1"

    /// User metadata as header fields: `-bin` values base64-encoded; reserved and pseudo names and
    /// values that aren't printable ASCII dropped (HTTP/2 cannot carry them).
    static func fields(from metadata: Metadata) -> [HeaderField] {
        var fields: [HeaderField] = []
        appendFields(from: metadata, to: &fields)
        return fields
    }

    /// Appends user metadata to a header block being built (see ``fields(from:)``).
    static func appendFields(from metadata: Metadata, to fields: inout [HeaderField]) {
        for element in metadata {
            let key = element.key
            guard !key.isEmpty, !reserved.contains(key), key.utf8.allSatisfy(Self.isKeyByte) else { continue }
            switch element.value {
            case .binary(let bytes):
                guard Metadata.isBinaryKey(key) else { continue }
                fields.append(HeaderField(key, Base64.encode(bytes)))
            case .string(let text):
                guard !Metadata.isBinaryKey(key), text.utf8.allSatisfy({ $0 >= 0x20 && $0 <= 0x7E }) else { continue }
                fields.append(HeaderField(key, text))
            }
        }
    }

    /// Metadata keys are lowercase letters, digits, `-`, `_` and `.` (PROTOCOL-HTTP2 "Header-Name").
    static func isKeyByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."):
            true
        default:
            false
        }
    }

    /// User metadata from received header fields: pseudo and reserved names skipped, `-bin` values
    /// base64-decoded (undecodable ones dropped).
    static func metadata(from fields: [HeaderField]) -> Metadata {
        var metadata = Metadata()
        for field in fields where !field.name.hasPrefix(":") && !reserved.contains(field.name) {
            addMetadata(field, to: &metadata)
        }
        return metadata
    }

    /// Adds one received user-metadata field; a `-bin` value is base64-decoded (a comma-separated
    /// header may carry several; undecodable ones are dropped).
    private static func addMetadata(_ field: HeaderField, to metadata: inout Metadata) {
        if Metadata.isBinaryKey(field.name) {
            for part in field.value.split(separator: ",") {
                let trimmed = part.trimmingSpaces()
                if let bytes = Base64.decode(String(trimmed)) { metadata.addBinary(bytes, forKey: field.name) }
            }
        } else {
            metadata.addString(field.value, forKey: field.name)
        }
    }

    /// What a server reads from a request header block, found in one pass over its fields (the
    /// first of a repeated name counts), with the user metadata that remains.
    struct RequestHead: ~Copyable {
        var method: String?
        var path: String?
        var contentType: String?
        /// `grpc-encoding`: the compression of the request messages.
        var encoding: String?
        /// `grpc-accept-encoding`: the encodings the client reads.
        var acceptEncoding: String?
        /// `grpc-timeout`, still encoded.
        var timeout: String?
        /// `connect-timeout-ms`, still encoded.
        var connectTimeout: String?
        /// Connect's compression headers: `connect-content-encoding` and `connect-accept-encoding`
        /// (streaming), `content-encoding` and `accept-encoding` (unary).
        var connectEncoding: String?
        var connectAcceptEncoding: String?
        var contentEncoding: String?
        var httpAcceptEncoding: String?
        /// CORS: the page's origin, and a preflight's `access-control-request-method` and `-headers`.
        var origin: String?
        var preflightMethod: String?
        var preflightHeaders: String?
        /// The declared body length, when the request has one.
        var contentLength: String?
        var metadata = Metadata()

        init(_ fields: [HeaderField]) {
            for field in fields {
                switch field.name {
                case ":method": if method == nil { method = field.value }
                case ":path": if path == nil { path = field.value }
                case "content-type": if contentType == nil { contentType = field.value }
                case "grpc-encoding": if encoding == nil { encoding = field.value }
                case "grpc-accept-encoding": if acceptEncoding == nil { acceptEncoding = field.value }
                case "grpc-timeout": if timeout == nil { timeout = field.value }
                case "connect-timeout-ms": if connectTimeout == nil { connectTimeout = field.value }
                case "connect-content-encoding": if connectEncoding == nil { connectEncoding = field.value }
                case "connect-accept-encoding": if connectAcceptEncoding == nil { connectAcceptEncoding = field.value }
                case "content-encoding": if contentEncoding == nil { contentEncoding = field.value }
                case "accept-encoding": if httpAcceptEncoding == nil { httpAcceptEncoding = field.value }
                case "origin": if origin == nil { origin = field.value }
                case "access-control-request-method": if preflightMethod == nil { preflightMethod = field.value }
                case "access-control-request-headers": if preflightHeaders == nil { preflightHeaders = field.value }
                case "content-length": if contentLength == nil { contentLength = field.value }
                default:
                    guard !field.name.hasPrefix(":"), !reserved.contains(field.name) else { continue }
                    addMetadata(field, to: &metadata)
                }
            }
        }

        /// The compression of the request messages under `wire`'s header names.
        func encoding(for wire: WireProtocol) -> String? {
            switch wire {
            case .grpc, .grpcWeb: encoding
            case .connectStreaming: connectEncoding
            case .connectUnary: contentEncoding
            }
        }

        /// The encodings the client reads under `wire`'s header names.
        func acceptEncoding(for wire: WireProtocol) -> String? {
            switch wire {
            case .grpc, .grpcWeb: acceptEncoding
            case .connectStreaming: connectAcceptEncoding
            case .connectUnary: httpAcceptEncoding
            }
        }

        /// The call's timeout under `wire`'s header: `grpc-timeout`, or Connect's
        /// `connect-timeout-ms` (at most 10 digits of milliseconds); nil when absent or malformed.
        func timeout(for wire: WireProtocol) -> Duration? {
            guard wire.isConnect else { return timeout.flatMap(GRPCTimeout.decode) }
            guard let raw = connectTimeout, (1...10).contains(raw.utf8.count),
                raw.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
                let milliseconds = Int64(raw)
            else { return nil }
            return .milliseconds(milliseconds)
        }
    }

    /// The request header block of a call; `encoding` names the compression of its messages and
    /// `acceptEncoding` the encodings this client reads (`grpc-accept-encoding`).
    static func requestHeaders(
        path: String,
        authority: String,
        timeout: Duration?,
        metadata: Metadata,
        encoding: CompressionAlgorithm? = nil,
        acceptEncoding: String? = nil,
        wire: WireProtocol = .grpc
    ) -> [HeaderField] {
        var fields = [
            HeaderField(":method", "POST"),
            HeaderField(":scheme", "http"),
            HeaderField(":path", path),
            HeaderField(":authority", authority),
            HeaderField("content-type", wire.responseContentType),
        ]
        switch wire {
        case .grpc:
            fields.append(HeaderField("te", "trailers"))
            if let timeout { fields.append(HeaderField("grpc-timeout", GRPCTimeout.encode(timeout))) }
        case .grpcWeb:
            fields.append(HeaderField("x-grpc-web", "1"))
            if let timeout { fields.append(HeaderField("grpc-timeout", GRPCTimeout.encode(timeout))) }
        case .connectUnary, .connectStreaming:
            fields.append(HeaderField("connect-protocol-version", "1"))
            if let timeout {
                // Whole milliseconds, rounded up so that the server never ends the call early.
                let milliseconds = (timeout.saturatingNanoseconds + 999_999) / 1_000_000
                fields.append(HeaderField("connect-timeout-ms", String(min(milliseconds, 9_999_999_999))))
            }
        }
        if let encoding, encoding != .identity {
            fields.append(HeaderField(wire.responseEncodingHeader, encoding.name))
        }
        if let acceptEncoding { fields.append(HeaderField(wire.acceptEncodingHeader, acceptEncoding)) }
        // A user-agent in the metadata goes first, as gRPC libraries do, followed by Ferry's.
        let agents = metadata[stringValues: "user-agent"] + [userAgent]
        fields.append(HeaderField("user-agent", agents.joined(separator: " ")))
        var rest = metadata
        rest.removeAll(forKey: "user-agent")
        appendFields(from: rest, to: &fields)
        return fields
    }

    /// The response header block; `encoding` names the compression of the response messages and
    /// `acceptEncoding` the encodings this server reads.
    static func responseHeaders(
        metadata: Metadata,
        encoding: CompressionAlgorithm? = nil,
        acceptEncoding: String? = nil
    ) -> [HeaderField] {
        // Built in one array sized for the block: a response's headers are on every call's path.
        var fields: [HeaderField] = []
        fields.reserveCapacity(4 + metadata.count)
        fields.append(HeaderField(":status", "200"))
        fields.append(HeaderField("content-type", "application/grpc"))
        if let encoding, encoding != .identity { fields.append(HeaderField("grpc-encoding", encoding.name)) }
        if let acceptEncoding { fields.append(HeaderField("grpc-accept-encoding", acceptEncoding)) }
        appendFields(from: metadata, to: &fields)
        return fields
    }

    /// The trailer block (or, with `trailersOnly`, the single header block of a Trailers-Only response).
    static func trailers(status: Status, metadata: Metadata, trailersOnly: Bool) -> [HeaderField] {
        var fields: [HeaderField] = []
        fields.reserveCapacity(4 + metadata.count)
        if trailersOnly {
            fields.append(HeaderField(":status", "200"))
            fields.append(HeaderField("content-type", "application/grpc"))
        }
        fields.append(HeaderField("grpc-status", String(status.code.rawValue)))
        if !status.message.isEmpty {
            fields.append(HeaderField("grpc-message", PercentEncoding.encode(status.message)))
        }
        appendFields(from: metadata, to: &fields)
        return fields
    }

    /// The status carried by a trailer block (or a Trailers-Only header block).
    static func status(from fields: [HeaderField]) -> Status {
        guard let raw = fields.first(where: { $0.name == "grpc-status" })?.value else {
            return Status(code: .unknown, message: "The server's trailers carry no grpc-status.")
        }
        guard let number = Int(raw) else {
            return Status(code: .unknown, message: "The server sent an invalid grpc-status '\(raw)'.")
        }
        let message = fields.first(where: { $0.name == "grpc-message" }).map { PercentEncoding.decode($0.value) } ?? ""
        return Status(code: Status.Code(wireValue: number), message: message)
    }

    static func value(_ name: String, in fields: [HeaderField]) -> String? {
        fields.first(where: { $0.name == name })?.value
    }

    /// Whether a content-type names gRPC: `application/grpc` optionally followed by `+format` or `;params`.
    static func isGRPCContentType(_ value: String?) -> Bool {
        guard let value else { return false }
        // Compared byte by byte, ignoring ASCII case: lowercasing the value would allocate a
        // string on every request.
        let prefix = "application/grpc".utf8
        var bytes = value.utf8.makeIterator()
        for expected in prefix {
            guard let byte = bytes.next() else { return false }
            let lowered = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
            guard lowered == expected else { return false }
        }
        guard let next = bytes.next() else { return true }
        return next == UInt8(ascii: "+") || next == UInt8(ascii: ";")
    }
}
