import FerryRPC

/// One server stream: validates the request headers, tells its protocol (``WireProtocol``) by the
/// content type, deframes request messages and decides how the response's status goes out
/// (trailers, or Trailers-Only when no headers were sent).
struct ServerStreamStateMachine {
    private enum Inbound {
        case awaitingHeaders
        /// Length-prefixed messages (gRPC, gRPC-Web, Connect streaming).
        case receiving(GRPCMessageDeframer)
        /// A Connect unary body: the one message, complete at the end of the request.
        case collecting(UnaryBody)
        case finished
    }

    /// A Connect unary request body as it arrives, within the message limit (compressed and inflated).
    private struct UnaryBody {
        /// The chunks as they came, joined once at the end: appending to one array would grow its
        /// capacity to up to twice the body on the way.
        var chunks: [[UInt8]] = []
        var count = 0
        let encoding: GRPCMessageDeframer.Encoding

        init(encoding: GRPCMessageDeframer.Encoding) {
            self.encoding = encoding
        }

        var bytes: [UInt8] {
            if chunks.count == 1 { return chunks[0] }
            var joined: [UInt8] = []
            joined.reserveCapacity(count)
            for chunk in chunks { joined += chunk }
            return joined
        }
    }

    /// What the handler does after receiving request headers.
    enum OnRequestHeaders {
        /// Start an RPC with this path, metadata and timeout; `encoding` is the request messages'
        /// compression (nil when uncompressed), `clientAccepts` the client's `grpc-accept-encoding`.
        case accept(
            path: String,
            metadata: Metadata,
            timeout: Duration?,
            encoding: CompressionAlgorithm?,
            clientAccepts: String?,
            httpMethod: String = "POST"
        )
        /// Answer with these headers (and, for the protocols that carry a status in the body, this
        /// body) and end the stream: not a valid request.
        case reject(headers: [HeaderField], body: [UInt8]?)
    }

    /// What the handler does after receiving body bytes or the end of the request.
    struct OnInbound {
        /// Parts for the RPC layer.
        var parts: [RPCRequestPart] = []
        /// The client finished sending.
        var finished = false
        /// The request is invalid: answer with this status and cancel the handler.
        var failure: Status?
    }

    private var inbound = Inbound.awaitingHeaders
    /// The request's protocol, known once its headers arrived.
    private(set) var wire = WireProtocol.grpc
    /// How the call's messages are encoded (the content type's `proto` or `json`).
    private(set) var codec = MessageCodec.proto
    /// Decodes a `grpc-web-text` request body before it is deframed.
    private var textDecoder: GRPCWebCoding.TextDecoder?
    /// Which browser origins may call; nil answers no preflight.
    private let cors: CORSPolicy?
    /// The CORS headers every response header block of this stream carries (an allowed origin's).
    private(set) var corsHeaders: [HeaderField] = []
    private(set) var sentHeaders = false
    private(set) var sentStatus = false
    /// A Connect unary response's headers and message, held until its status: they go out together.
    private var unaryHeaders: Metadata = [:]
    private var unaryMessage: [UInt8]?
    /// Whether ``unaryMessage`` is compressed (with the response headers' encoding).
    private var unaryCompressed = false
    private let maxRequestMessageBytes: Int
    /// The request encodings this server decodes.
    private let enabledEncodings: [CompressionAlgorithm]
    private let decompressors: DecompressorCache

    init(
        maxRequestMessageBytes: Int,
        enabledEncodings: [CompressionAlgorithm] = [],
        decompressors: DecompressorCache = DecompressorCache(),
        cors: CORSPolicy? = nil
    ) {
        self.cors = cors
        self.maxRequestMessageBytes = maxRequestMessageBytes
        self.enabledEncodings = enabledEncodings
        self.decompressors = decompressors
    }

    /// Whether request messages are still expected (the request has not ended or failed).
    var isReceiving: Bool {
        switch inbound {
        case .receiving, .collecting: true
        case .awaitingHeaders, .finished: false
        }
    }

    /// Bytes of a request message still arriving.
    var bufferedBytes: Int {
        switch inbound {
        case .receiving(let deframer): deframer.bufferedBytes + (textDecoder?.bufferedBytes ?? 0)
        case .collecting(let body): body.count
        case .awaitingHeaders, .finished: 0
        }
    }

    /// The transport failed the request (a budget or header limit): drop the deframer and ignore
    /// whatever else arrives.
    mutating func stopReceiving() {
        switch inbound {
        case .receiving, .collecting: inbound = .finished
        case .awaitingHeaders, .finished: break
        }
    }

    mutating func receivedHeaders(_ fields: [HeaderField], endStream: Bool) -> (OnRequestHeaders?, OnInbound) {
        guard case .awaitingHeaders = inbound else {
            // Trailers from the client: only legal as the end of the request.
            inbound = .finished
            return (nil, OnInbound(finished: true))
        }
        let head = HeaderCoding.RequestHead(fields)
        if head.method == "OPTIONS", let cors, let origin = head.origin, head.preflightMethod != nil {
            // A browser's CORS preflight: answered here, no call starts.
            inbound = .finished
            guard cors.allows(origin), head.preflightMethod == "POST" else {
                return (.reject(headers: [HeaderField(":status", "403")], body: nil), OnInbound())
            }
            let headers = cors.preflightHeaders(origin: origin, requestedHeaders: head.preflightHeaders)
            return (.reject(headers: headers, body: nil), OnInbound())
        }
        if let cors, let origin = head.origin, cors.allows(origin) {
            corsHeaders = cors.responseHeaders(origin: origin)
        }
        if head.method == "GET", let path = head.path, let mark = path.firstIndex(of: "?") {
            return receivedGet(head, path: path[..<mark], query: path[path.index(after: mark)...])
        }
        guard head.method == "POST" else {
            inbound = .finished
            return (.reject(headers: [HeaderField(":status", "405")] + corsHeaders, body: nil), OnInbound())
        }
        guard let wire = WireProtocol(contentType: head.contentType) else {
            inbound = .finished
            return (.reject(headers: [HeaderField(":status", "415")] + corsHeaders, body: nil), OnInbound())
        }
        self.wire = wire
        codec = WireProtocol.codec(contentType: head.contentType)
        let encoding = head.encoding(for: wire)
        guard EncodingNegotiation.accepts(encoding, enabled: enabledEncodings) else {
            // compression.md: UNIMPLEMENTED, naming what the server does accept.
            inbound = .finished
            let accepted = EncodingNegotiation.acceptHeader(enabledEncodings)
            let status = Status(
                code: .unimplemented,
                message: "Message encoding '\(encoding ?? "")' is not supported; this server accepts \(accepted)."
            )
            let response = wire.statusResponse(status, metadata: [:], codec: codec)
            return (
                .reject(
                    headers: response.headers + [HeaderField(wire.acceptEncodingHeader, accepted)] + corsHeaders,
                    body: response.body
                ),
                OnInbound()
            )
        }
        if wire == .connectUnary, let declared = head.contentLength.flatMap({ Int($0) }),
            declared > maxRequestMessageBytes
        {
            // The body is the message: one declared over the limit is refused before a byte of it is held.
            inbound = .finished
            let status = Self.failure(for: .tooLarge(length: declared, limit: maxRequestMessageBytes))
            let response = wire.statusResponse(status, metadata: [:], codec: codec)
            return (.reject(headers: response.headers + corsHeaders, body: response.body), OnInbound())
        }
        let timeout = head.timeout(for: wire)
        let inboundEncoding = EncodingNegotiation.inbound(
            encoding,
            enabled: enabledEncodings,
            decompressors: decompressors
        )
        var parts: [RPCRequestPart] = [.metadata(head.metadata)]
        if endStream {
            inbound = .finished
            // A Connect unary body is the message itself, so an empty body is an empty message.
            if wire == .connectUnary { parts.append(.message([])) }
        } else if wire == .connectUnary {
            inbound = .collecting(UnaryBody(encoding: inboundEncoding))
        } else {
            if case .grpcWeb(text: true) = wire { textDecoder = GRPCWebCoding.TextDecoder() }
            inbound = .receiving(
                GRPCMessageDeframer(maxMessageBytes: maxRequestMessageBytes, encoding: inboundEncoding)
            )
        }
        let compression = encoding.flatMap(CompressionAlgorithm.init(name:)).flatMap { $0 == .identity ? nil : $0 }
        return (
            .accept(
                path: head.path ?? "",
                metadata: head.metadata,
                timeout: timeout,
                encoding: compression,
                clientAccepts: head.acceptEncoding(for: wire)
            ),
            OnInbound(parts: parts, finished: endStream)
        )
    }

    /// Connect's GET: a unary call whose request is in the query string, complete with the headers.
    /// The server serves it only for methods without side effects (`RPCServer`).
    private mutating func receivedGet(
        _ head: borrowing HeaderCoding.RequestHead,
        path: Substring,
        query: Substring
    ) -> (OnRequestHeaders?, OnInbound) {
        inbound = .finished
        wire = .connectUnary
        let request: ConnectCoding.GetRequest
        switch ConnectCoding.getRequest(query: query) {
        case .success(let read): request = read
        case .failure(let error):
            let response = wire.statusResponse(Status(code: error.code, message: error.message), metadata: [:])
            return (.reject(headers: response.headers + corsHeaders, body: response.body), OnInbound())
        }
        codec = request.codec
        var message = request.message
        var failure: Status?
        if message.count > maxRequestMessageBytes {
            failure = Self.failure(for: .tooLarge(length: message.count, limit: maxRequestMessageBytes))
        } else if let name = request.compression, name != "identity" {
            switch EncodingNegotiation.inbound(name, enabled: enabledEncodings, decompressors: decompressors) {
            case .compressed(let decompressor):
                do {
                    message = try decompressor.decompress(message[...], limit: maxRequestMessageBytes)
                } catch {
                    switch error {
                    case .tooLarge(let limit): failure = Self.failure(for: .inflatesTooLarge(limit: limit))
                    case .corrupt(let reason): failure = Self.failure(for: .corrupt(reason))
                    }
                }
            case .identity, .unsupported: failure = Self.failure(for: .unsupportedEncoding(name))
            }
        }
        if let failure {
            let response = wire.statusResponse(failure, metadata: [:], codec: codec)
            return (.reject(headers: response.headers + corsHeaders, body: response.body), OnInbound())
        }
        return (
            .accept(
                path: String(path),
                metadata: head.metadata,
                timeout: head.timeout(for: wire),
                encoding: nil,
                clientAccepts: nil,
                httpMethod: "GET"
            ),
            OnInbound(parts: [.metadata(head.metadata), .message(message)], finished: true)
        )
    }

    mutating func receivedData(_ bytes: [UInt8]) -> OnInbound {
        if case .collecting(var body) = inbound {
            inbound = .finished
            guard body.count + bytes.count <= maxRequestMessageBytes else {
                return OnInbound(
                    failure: Self.failure(
                        for: .tooLarge(length: body.count + bytes.count, limit: maxRequestMessageBytes)
                    )
                )
            }
            body.chunks.append(bytes)
            body.count += bytes.count
            inbound = .collecting(body)
            return OnInbound()
        }
        guard case .receiving(var deframer) = inbound else { return OnInbound() }
        inbound = .finished
        var bytes = bytes
        if textDecoder != nil {
            guard let decoded = textDecoder?.decode(bytes) else {
                return OnInbound(
                    failure: Status(code: .internalError, message: "The grpc-web-text request body is not base64.")
                )
            }
            bytes = decoded
        }
        deframer.append(bytes)
        var result = OnInbound()
        do {
            while let message = try deframer.next() { result.parts.append(.message(message)) }
        } catch {
            result.failure = Self.failure(for: error)
            return result
        }
        inbound = .receiving(deframer)
        return result
    }

    mutating func receivedEndOfData() -> OnInbound {
        switch inbound {
        case .finished:
            return OnInbound()
        case .collecting(let body):
            inbound = .finished
            switch body.encoding {
            case .identity:
                return OnInbound(parts: [.message(body.bytes)], finished: true)
            case .unsupported(let name):
                return OnInbound(failure: Self.failure(for: .unsupportedEncoding(name)))
            case .compressed(let decompressor):
                do {
                    let message = try decompressor.decompress(body.bytes[...], limit: maxRequestMessageBytes)
                    return OnInbound(parts: [.message(message)], finished: true)
                } catch {
                    switch error {
                    case .tooLarge(let limit):
                        return OnInbound(failure: Self.failure(for: .inflatesTooLarge(limit: limit)))
                    case .corrupt(let reason): return OnInbound(failure: Self.failure(for: .corrupt(reason)))
                    }
                }
            }
        case .awaitingHeaders, .receiving:
            inbound = .finished
            return OnInbound(finished: true)
        }
    }

    /// The status a request body that cannot be read fails with.
    private static func failure(for error: GRPCMessageDeframer.Failure) -> Status {
        switch error {
        case .tooLarge(let length, let limit):
            Status(
                code: .resourceExhausted,
                message: "Request message of \(length) bytes exceeds the limit of \(limit) bytes."
            )
        case .inflatesTooLarge(let limit):
            Status(
                code: .resourceExhausted,
                message: "A compressed request message inflates to more than the limit of \(limit) bytes."
            )
        case .compressed:
            Status(
                code: .internalError,
                message: "A request message has the compressed flag set, but the request has no grpc-encoding."
            )
        case .unsupportedEncoding(let name):
            Status(code: .unimplemented, message: "Message encoding '\(name)' is not supported.")
        case .corrupt(let reason):
            Status(code: .internalError, message: "A compressed request message cannot be decompressed: \(reason).")
        case .invalidFlag(let flag):
            Status(code: .internalError, message: "The request has a message with invalid flag byte \(flag).")
        }
    }

    /// How to send response headers: returns false when they were already sent or the status went out.
    mutating func sendHeaders() -> Bool {
        guard !sentHeaders, !sentStatus else { return false }
        sentHeaders = true
        return true
    }

    /// How a status goes out.
    enum StatusDelivery {
        /// In a trailers HEADERS frame after the response headers and body.
        case trailers
        /// As the only header block of the response.
        case trailersOnly
    }

    /// How to send the status; nil when a status was already sent.
    mutating func sendStatus() -> StatusDelivery? {
        guard !sentStatus else { return nil }
        sentStatus = true
        return sentHeaders ? .trailers : .trailersOnly
    }

    // MARK: Response

    /// Puts `part` of the response on the wire through `write`, in order; `acceptEncoding` is the
    /// server's accepted encodings, named in the response headers.
    ///
    /// Returns true when the call cannot go on and its handler must be cancelled: a method called
    /// with Connect's unary form sent a second response message.
    mutating func respond(
        _ part: RPCResponsePart,
        acceptEncoding: String?,
        write: (ResponseWrite) -> Void
    ) -> Bool {
        if wire == .connectUnary { return respondUnary(part, write: write) }
        switch part {
        case .metadata(let metadata):
            if sendHeaders() {
                // The writer left grpc-encoding in the metadata only if the messages are compressed.
                let encoding = metadata.firstString(forKey: "grpc-encoding").flatMap(CompressionAlgorithm.init(name:))
                let headers = wire.responseHeaders(
                    metadata: metadata,
                    encoding: encoding,
                    acceptEncoding: acceptEncoding,
                    codec: codec
                )
                write(.headers(headers + corsHeaders))
            }
        case .message(let framed):
            // Messages arrive already framed by the writer (ServerStreamWriter).
            if sendHeaders() {
                let headers = wire.responseHeaders(metadata: [:], acceptEncoding: acceptEncoding, codec: codec)
                write(.headers(headers + corsHeaders))
            }
            write(.data(framed))
        case .status(let status, let metadata):
            switch sendStatus() {
            case .trailers:
                let closing = wire.closingStatus(status, trailers: metadata)
                if let body = closing.body { write(.data(body)) }
                write(.end(trailers: closing.trailers))
            case .trailersOnly:
                let response = wire.statusResponse(status, metadata: metadata, codec: codec)
                Self.whole(headers: response.headers + corsHeaders, body: response.body, write: write)
            case .none:
                break
            }
        }
        return false
    }

    /// A Connect unary response goes out whole at its status: the HTTP status, headers and body
    /// depend on how the call ended, so the headers and the message wait for it.
    private mutating func respondUnary(_ part: RPCResponsePart, write: (ResponseWrite) -> Void) -> Bool {
        switch part {
        case .metadata(let metadata):
            unaryHeaders = metadata
        case .message(let message):
            guard unaryMessage == nil else {
                // The method streams its responses: Connect's unary form cannot carry them.
                let status = Status(
                    code: .unimplemented,
                    message: "The method sends a stream of responses; call it with application/connect+proto."
                )
                _ = respondUnary(.status(status, [:]), write: write)
                return true
            }
            // The writer framed it: the prefix says whether the body is compressed.
            unaryMessage = Array(message.dropFirst(5))
            unaryCompressed = message.first == 1
        case .status(let status, let trailers):
            guard sendStatus() != nil else { return false }
            // The writer left grpc-encoding in the headers only if it compressed.
            let encoding =
                unaryCompressed
                ? unaryHeaders.firstString(forKey: "grpc-encoding").flatMap(CompressionAlgorithm.init(name:))
                : nil
            let response = wire.unaryResponse(
                status,
                headers: unaryHeaders,
                trailers: trailers,
                message: unaryMessage,
                codec: codec,
                encoding: encoding
            )
            unaryMessage = nil
            Self.whole(headers: response.headers + corsHeaders, body: response.body ?? [], write: write)
        }
        return false
    }

    /// A complete response: one header block, and the body when there is one (nil: no body at all,
    /// as in gRPC's Trailers-Only).
    static func whole(headers: [HeaderField], body: [UInt8]?, write: (ResponseWrite) -> Void) {
        guard let body else {
            write(.headersOnly(headers))
            return
        }
        // Its length is known: HTTP/1.1 sends it without chunks.
        write(.headers(headers + [HeaderField("content-length", String(body.count))]))
        write(.data(body))
        write(.end(trailers: nil))
    }
}

/// One write of a server response, in the order the connection puts them on the wire.
enum ResponseWrite {
    /// A header block that opens a response with a body to follow.
    case headers([HeaderField])
    /// Body bytes.
    case data([UInt8])
    /// The end of the response, with an HTTP trailer block (gRPC) or none.
    case end(trailers: [HeaderField]?)
    /// A response that is one header block and nothing more (gRPC's Trailers-Only, a refusal).
    case headersOnly([HeaderField])
}
