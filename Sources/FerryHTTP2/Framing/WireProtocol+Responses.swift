import FerryRPC

/// How each ``WireProtocol`` puts a response on the wire: the header block that opens it, and how
/// the status closes it.
extension WireProtocol {
    /// The header block that opens a response carrying messages. `encoding` names the compression
    /// of the response messages, `acceptEncoding` the encodings this server reads.
    func responseHeaders(
        metadata: Metadata,
        encoding: CompressionAlgorithm? = nil,
        acceptEncoding: String? = nil,
        codec: MessageCodec = .proto
    ) -> [HeaderField] {
        if self == .grpc, codec == .proto {
            return HeaderCoding.responseHeaders(metadata: metadata, encoding: encoding, acceptEncoding: acceptEncoding)
        }
        var fields = [HeaderField(":status", "200"), HeaderField("content-type", contentType(codec: codec))]
        if let encoding, encoding != .identity { fields.append(HeaderField(responseEncodingHeader, encoding.name)) }
        if let acceptEncoding { fields.append(HeaderField(acceptEncodingHeader, acceptEncoding)) }
        HeaderCoding.appendFields(from: metadata, to: &fields)
        return fields
    }

    /// A response that is only a status (nothing was sent before it): its header block and, for
    /// the protocols that carry the status in the body, that body. `metadata` holds the response
    /// headers and trailers the handler gave, if any.
    func statusResponse(
        _ status: Status,
        metadata: Metadata,
        codec: MessageCodec = .proto
    ) -> (headers: [HeaderField], body: [UInt8]?) {
        switch self {
        case .grpc, .grpcWeb:
            // Trailers-Only: the status in the one header block.
            var fields = HeaderCoding.trailers(status: status, metadata: metadata, trailersOnly: true)
            if self != .grpc || codec != .proto { fields[1] = HeaderField("content-type", contentType(codec: codec)) }
            return (fields, nil)
        case .connectStreaming:
            return (
                responseHeaders(metadata: [:], codec: codec), ConnectCoding.endStreamMessage(status, trailers: metadata)
            )
        case .connectUnary:
            return unaryResponse(status, headers: [:], trailers: metadata, message: nil, codec: codec)
        }
    }

    /// What closes a response whose headers went out: bytes to send last (gRPC-Web's trailer
    /// message, Connect's end-of-stream message) or an HTTP trailer block (gRPC).
    func closingStatus(_ status: Status, trailers: Metadata) -> (body: [UInt8]?, trailers: [HeaderField]?) {
        switch self {
        case .grpc:
            return (nil, HeaderCoding.trailers(status: status, metadata: trailers, trailersOnly: false))
        case .grpcWeb(let text):
            let message = GRPCWebCoding.trailerMessage(status, trailers: trailers)
            return (text ? GRPCWebCoding.text(message) : message, nil)
        case .connectStreaming:
            return (ConnectCoding.endStreamMessage(status, trailers: trailers), nil)
        case .connectUnary:
            // A unary response is held until its status (unaryResponse); nothing went out before.
            return (nil, nil)
        }
    }

    /// A whole Connect unary response: on OK the message with `application/proto` (compressed whole
    /// with `encoding` when given), otherwise the HTTP status of the code with the JSON error;
    /// trailers as `trailer-` headers either way.
    func unaryResponse(
        _ status: Status,
        headers: Metadata,
        trailers: Metadata,
        message: [UInt8]?,
        codec: MessageCodec = .proto,
        encoding: CompressionAlgorithm? = nil
    ) -> (headers: [HeaderField], body: [UInt8]?) {
        var fields: [HeaderField] = [HeaderField(":status", String(ConnectCoding.httpStatus(status.code)))]
        let body: [UInt8]
        if status.code == .ok {
            fields.append(HeaderField("content-type", contentType(codec: codec)))
            if let encoding, encoding != .identity { fields.append(HeaderField("content-encoding", encoding.name)) }
            body = message ?? []
        } else {
            fields.append(HeaderField("content-type", "application/json"))
            body = ConnectCoding.errorBody(status, metadata: trailers)
        }
        HeaderCoding.appendFields(from: headers, to: &fields)
        fields += ConnectCoding.unaryTrailerFields(trailers)
        return (fields, body)
    }
}
