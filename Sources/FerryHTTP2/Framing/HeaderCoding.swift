import FerryRPC

/// Converts between FerryRPC ``Metadata`` and HTTP/2 header fields, and builds gRPC's request,
/// response and trailer header blocks.
enum HeaderCoding {
    /// Header names that are part of the gRPC protocol rather than user metadata.
    static let reserved: Set<String> = [
        "content-type", "te", "grpc-timeout", "grpc-encoding", "grpc-accept-encoding", "grpc-status",
        "grpc-message", "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "host",
    ]

    /// The user agent Ferry sends.
    static let userAgent = "grpc-swift-ferry/0.1"

    /// User metadata as header fields: `-bin` values base64-encoded; reserved and pseudo names and
    /// values that aren't printable ASCII dropped (HTTP/2 cannot carry them).
    static func fields(from metadata: Metadata) -> [HeaderField] {
        var fields: [HeaderField] = []
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
        return fields
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
            if Metadata.isBinaryKey(field.name) {
                // A comma-separated header may carry several binary values.
                for part in field.value.split(separator: ",") {
                    let trimmed = part.trimmingSpaces()
                    if let bytes = Base64.decode(String(trimmed)) { metadata.addBinary(bytes, forKey: field.name) }
                }
            } else {
                metadata.addString(field.value, forKey: field.name)
            }
        }
        return metadata
    }

    /// The request header block of a call; `encoding` names the compression of its messages and
    /// `acceptEncoding` the encodings this client reads (`grpc-accept-encoding`).
    static func requestHeaders(
        path: String,
        authority: String,
        timeout: Duration?,
        metadata: Metadata,
        encoding: CompressionAlgorithm? = nil,
        acceptEncoding: String? = nil
    ) -> [HeaderField] {
        var fields = [
            HeaderField(":method", "POST"),
            HeaderField(":scheme", "http"),
            HeaderField(":path", path),
            HeaderField(":authority", authority),
            HeaderField("content-type", "application/grpc"),
            HeaderField("te", "trailers"),
        ]
        if let timeout { fields.append(HeaderField("grpc-timeout", GRPCTimeout.encode(timeout))) }
        if let encoding, encoding != .identity { fields.append(HeaderField("grpc-encoding", encoding.name)) }
        if let acceptEncoding { fields.append(HeaderField("grpc-accept-encoding", acceptEncoding)) }
        // A user-agent in the metadata goes first, as gRPC libraries do, followed by Ferry's.
        let agents = metadata[stringValues: "user-agent"] + [userAgent]
        fields.append(HeaderField("user-agent", agents.joined(separator: " ")))
        var rest = metadata
        rest.removeAll(forKey: "user-agent")
        return fields + self.fields(from: rest)
    }

    /// The response header block; `encoding` names the compression of the response messages and
    /// `acceptEncoding` the encodings this server reads.
    static func responseHeaders(metadata: Metadata, encoding: CompressionAlgorithm? = nil, acceptEncoding: String? = nil) -> [HeaderField] {
        var fields = [HeaderField(":status", "200"), HeaderField("content-type", "application/grpc")]
        if let encoding, encoding != .identity { fields.append(HeaderField("grpc-encoding", encoding.name)) }
        if let acceptEncoding { fields.append(HeaderField("grpc-accept-encoding", acceptEncoding)) }
        return fields + self.fields(from: metadata)
    }

    /// The trailer block (or, with `trailersOnly`, the single header block of a Trailers-Only response).
    static func trailers(status: Status, metadata: Metadata, trailersOnly: Bool) -> [HeaderField] {
        var fields: [HeaderField] = []
        if trailersOnly {
            fields += [HeaderField(":status", "200"), HeaderField("content-type", "application/grpc")]
        }
        fields.append(HeaderField("grpc-status", String(status.code.rawValue)))
        if !status.message.isEmpty { fields.append(HeaderField("grpc-message", PercentEncoding.encode(status.message))) }
        return fields + self.fields(from: metadata)
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
        guard let value = value?.lowercased(), value.hasPrefix("application/grpc") else { return false }
        let rest = value.dropFirst("application/grpc".count)
        return rest.isEmpty || rest.hasPrefix("+") || rest.hasPrefix(";")
    }
}
