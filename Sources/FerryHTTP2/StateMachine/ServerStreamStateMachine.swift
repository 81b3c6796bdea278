import FerryRPC

/// One server stream: validates the request headers, deframes request messages and decides how
/// the response's status goes out (trailers, or Trailers-Only when no headers were sent).
struct ServerStreamStateMachine {
    private enum Inbound {
        case awaitingHeaders
        case receiving(GRPCMessageDeframer)
        case finished
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
            clientAccepts: String?
        )
        /// Answer with these headers and end the stream (not a valid gRPC request).
        case reject(headers: [HeaderField])
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
    private(set) var sentHeaders = false
    private(set) var sentStatus = false
    private let maxRequestMessageBytes: Int
    /// The request encodings this server decodes.
    private let enabledEncodings: [CompressionAlgorithm]
    private let decompressors: DecompressorCache

    init(
        maxRequestMessageBytes: Int,
        enabledEncodings: [CompressionAlgorithm] = [],
        decompressors: DecompressorCache = DecompressorCache()
    ) {
        self.maxRequestMessageBytes = maxRequestMessageBytes
        self.enabledEncodings = enabledEncodings
        self.decompressors = decompressors
    }

    /// Whether request messages are still expected (the request has not ended or failed).
    var isReceiving: Bool {
        if case .receiving = inbound { true } else { false }
    }

    /// Bytes of a request message still arriving.
    var bufferedBytes: Int {
        if case .receiving(let deframer) = inbound { deframer.bufferedBytes } else { 0 }
    }

    /// The transport failed the request (a budget or header limit): drop the deframer and ignore
    /// whatever else arrives.
    mutating func stopReceiving() {
        if case .receiving = inbound { inbound = .finished }
    }

    mutating func receivedHeaders(_ fields: [HeaderField], endStream: Bool) -> (OnRequestHeaders?, OnInbound) {
        guard case .awaitingHeaders = inbound else {
            // Trailers from the client: only legal as the end of the request.
            inbound = .finished
            return (nil, OnInbound(finished: true))
        }
        let head = HeaderCoding.RequestHead(fields)
        guard head.method == "POST" else {
            inbound = .finished
            return (.reject(headers: [HeaderField(":status", "405")]), OnInbound())
        }
        guard HeaderCoding.isGRPCContentType(head.contentType) else {
            inbound = .finished
            return (.reject(headers: [HeaderField(":status", "415")]), OnInbound())
        }
        let encoding = head.encoding
        guard EncodingNegotiation.accepts(encoding, enabled: enabledEncodings) else {
            // compression.md: UNIMPLEMENTED, naming what the server does accept.
            inbound = .finished
            let accepted = EncodingNegotiation.acceptHeader(enabledEncodings)
            let status = Status(
                code: .unimplemented,
                message: "Message encoding '\(encoding ?? "")' is not supported; this server accepts \(accepted)."
            )
            return (
                .reject(
                    headers: HeaderCoding.trailers(status: status, metadata: [:], trailersOnly: true) + [
                        HeaderField("grpc-accept-encoding", accepted)
                    ]
                ), OnInbound()
            )
        }
        let timeout = head.timeout.flatMap(GRPCTimeout.decode)
        inbound =
            endStream
            ? .finished
            : .receiving(
                GRPCMessageDeframer(
                    maxMessageBytes: maxRequestMessageBytes,
                    encoding: EncodingNegotiation.inbound(
                        encoding,
                        enabled: enabledEncodings,
                        decompressors: decompressors
                    )
                )
            )
        let compression = encoding.flatMap(CompressionAlgorithm.init(name:)).flatMap { $0 == .identity ? nil : $0 }
        return (
            .accept(
                path: head.path ?? "",
                metadata: head.metadata,
                timeout: timeout,
                encoding: compression,
                clientAccepts: head.acceptEncoding
            ),
            OnInbound(parts: [.metadata(head.metadata)], finished: endStream)
        )
    }

    mutating func receivedData(_ bytes: [UInt8]) -> OnInbound {
        guard case .receiving(var deframer) = inbound else { return OnInbound() }
        inbound = .finished
        deframer.append(bytes)
        var result = OnInbound()
        do {
            while let message = try deframer.next() { result.parts.append(.message(message)) }
        } catch {
            switch error {
            case .tooLarge(let length, let limit):
                result.failure = Status(
                    code: .resourceExhausted,
                    message: "Request message of \(length) bytes exceeds the limit of \(limit) bytes."
                )
            case .inflatesTooLarge(let limit):
                result.failure = Status(
                    code: .resourceExhausted,
                    message: "A compressed request message inflates to more than the limit of \(limit) bytes."
                )
            case .compressed:
                result.failure = Status(
                    code: .internalError,
                    message: "A request message has the compressed flag set, but the request has no grpc-encoding."
                )
            case .unsupportedEncoding(let name):
                result.failure = Status(code: .unimplemented, message: "Message encoding '\(name)' is not supported.")
            case .corrupt(let reason):
                result.failure = Status(
                    code: .internalError,
                    message: "A compressed request message cannot be decompressed: \(reason)."
                )
            case .invalidFlag(let flag):
                result.failure = Status(
                    code: .internalError,
                    message: "The request has a message with invalid flag byte \(flag)."
                )
            }
            return result
        }
        inbound = .receiving(deframer)
        return result
    }

    mutating func receivedEndOfData() -> OnInbound {
        if case .finished = inbound { return OnInbound() }
        inbound = .finished
        return OnInbound(finished: true)
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
}
