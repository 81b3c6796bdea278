import FerryCodec
import FerryRPC

/// The receiving side of one client stream: response headers, messages, trailers, in the call's
/// protocol (``WireProtocol``: the status in trailers, in a last message, or in the HTTP status).
///
/// Each event returns an action for the connection handler to carry out; the machine never touches
/// the network itself.
struct ClientStreamStateMachine {
    private enum State {
        case awaitingHeaders
        case receiving(GRPCMessageDeframer)
        /// A Connect unary response body: the message, or the JSON error when `httpStatus` is not 200.
        case collecting(UnaryResponse)
        case closed
    }

    private struct UnaryResponse {
        var httpStatus: Int
        var body: [UInt8] = []
        var trailers: Metadata
        var encoding: GRPCMessageDeframer.Encoding
    }

    /// What the handler does after an event.
    struct Action {
        /// Parts to hand to the RPC layer, in order.
        var parts: [RPCResponsePart] = []
        /// Reset the stream with this HTTP/2 error code (a protocol failure on our side).
        var reset: UInt32?
        /// The stream is over for the RPC layer (its inbound sequence can be finished).
        var finished = false
        /// End the inbound sequence with this error instead of a status part.
        var failure: RPCError?
    }

    private var state = State.awaitingHeaders
    private let maxResponseMessageBytes: Int
    /// The response encodings this client decodes.
    private let acceptedEncodings: [CompressionAlgorithm]
    private let decompressors: DecompressorCache
    private let wire: WireProtocol
    /// Decodes a `grpc-web-text` response body before it is deframed.
    private var textDecoder: GRPCWebCoding.TextDecoder?

    init(
        maxResponseMessageBytes: Int,
        acceptedEncodings: [CompressionAlgorithm] = [],
        decompressors: DecompressorCache = DecompressorCache(),
        wire: WireProtocol = .grpc
    ) {
        self.wire = wire
        if case .grpcWeb(text: true) = wire { textDecoder = GRPCWebCoding.TextDecoder() }
        self.maxResponseMessageBytes = maxResponseMessageBytes
        self.acceptedEncodings = acceptedEncodings
        self.decompressors = decompressors
    }

    var isClosed: Bool {
        if case .closed = state { true } else { false }
    }

    private mutating func fail(_ code: Status.Code, _ message: String, reset: Bool) -> Action {
        state = .closed
        return Action(
            parts: [.status(Status(code: code, message: message), [:])],
            reset: reset ? HTTP2ErrorCode.cancel : nil,
            finished: true
        )
    }

    /// The transport failed the stream (e.g. a header block over the limit): report `status` and
    /// reset the stream.
    mutating func failed(_ status: Status) -> Action {
        state = .closed
        return Action(parts: [.status(status, [:])], reset: HTTP2ErrorCode.cancel, finished: true)
    }

    mutating func receivedHeaders(_ fields: [HeaderField], endStream: Bool) -> Action {
        switch state {
        case .awaitingHeaders:
            let httpStatus = HeaderCoding.value(":status", in: fields).flatMap(Int.init) ?? 0
            if wire == .connectUnary {
                return receivedUnaryHeaders(fields, httpStatus: httpStatus, endStream: endStream)
            }
            if httpStatus != 200 {
                let code = HTTPStatusMapping.code(forHTTPStatus: httpStatus)
                return fail(
                    code,
                    "Unexpected HTTP status \(httpStatus) from a peer that is not answering with \(wire.name).",
                    reset: !endStream
                )
            }
            if endStream {
                state = .closed
                if wire == .connectStreaming {
                    return fail(
                        .internalError,
                        "The server ended the stream without an end-of-stream message.",
                        reset: false
                    )
                }
                let status = HeaderCoding.status(from: fields)
                return Action(parts: [.status(status, HeaderCoding.metadata(from: fields))], finished: true)
            }
            let contentType = HeaderCoding.value("content-type", in: fields)
            guard wire.isResponseContentType(contentType) else {
                return fail(
                    .unknown,
                    "The response has content-type '\(contentType ?? "none")', not \(wire.responseContentType).",
                    reset: true
                )
            }
            let encoding = EncodingNegotiation.inbound(
                HeaderCoding.value(wire.responseEncodingHeader, in: fields),
                enabled: acceptedEncodings,
                decompressors: decompressors
            )
            state = .receiving(
                GRPCMessageDeframer(maxMessageBytes: maxResponseMessageBytes, encoding: encoding, endFlag: wire.endFlag)
            )
            return Action(parts: [.metadata(HeaderCoding.metadata(from: fields))])
        case .receiving:
            state = .closed
            let status = HeaderCoding.status(from: fields)
            return Action(
                parts: [.status(status, HeaderCoding.metadata(from: fields))],
                reset: endStream ? nil : HTTP2ErrorCode.cancel,
                finished: true
            )
        case .collecting, .closed:
            return Action()
        }
    }

    /// A Connect unary response's headers: its own metadata now; `trailer-` headers are the trailers,
    /// delivered with the body at its end.
    private mutating func receivedUnaryHeaders(_ fields: [HeaderField], httpStatus: Int, endStream: Bool) -> Action {
        var headers: [HeaderField] = []
        var trailers: [HeaderField] = []
        for field in fields {
            if field.name.hasPrefix("trailer-") {
                trailers.append(HeaderField(String(field.name.dropFirst(8)), field.value))
            } else {
                headers.append(field)
            }
        }
        let encoding = EncodingNegotiation.inbound(
            HeaderCoding.value("content-encoding", in: fields),
            enabled: acceptedEncodings,
            decompressors: decompressors
        )
        state = .collecting(
            UnaryResponse(httpStatus: httpStatus, trailers: HeaderCoding.metadata(from: trailers), encoding: encoding)
        )
        var action = Action(parts: [.metadata(HeaderCoding.metadata(from: headers))])
        if endStream {
            let end = receivedEndOfData()
            action.parts += end.parts
            action.finished = end.finished
        }
        return action
    }

    mutating func receivedData(_ bytes: [UInt8]) -> Action {
        if case .collecting(var response) = state {
            state = .closed
            guard response.body.count + bytes.count <= maxResponseMessageBytes else {
                return Self.deframingFailure(
                    .tooLarge(length: response.body.count + bytes.count, limit: maxResponseMessageBytes)
                )
            }
            response.body += bytes
            state = .collecting(response)
            return Action()
        }
        guard case .receiving(var deframer) = state else {
            if case .awaitingHeaders = state {
                return fail(.internalError, "The server sent a message before response headers.", reset: true)
            }
            return Action()
        }
        state = .closed  // avoid a copy of the deframer's buffer while it is mutated
        if textDecoder != nil {
            guard let decoded = textDecoder?.decode(bytes) else {
                return fail(.internalError, "The grpc-web-text response body is not base64.", reset: true)
            }
            deframer.append(decoded)
        } else {
            deframer.append(bytes)
        }
        var parts: [RPCResponsePart] = []
        do {
            while let frame = try deframer.nextFrame() {
                switch frame {
                case .message(let message):
                    parts.append(.message(message))
                case .end(let payload):
                    // gRPC-Web's trailers or Connect's end-of-stream message: the call is over.
                    parts.append(endOfStream(payload))
                    return Action(parts: parts, finished: true)
                }
            }
        } catch {
            var action = Self.deframingFailure(error)
            action.parts.insert(contentsOf: parts, at: 0)
            return action
        }
        state = .receiving(deframer)
        return Action(parts: parts)
    }

    /// The status part of a body's last unit.
    private func endOfStream(_ payload: [UInt8]) -> RPCResponsePart {
        switch wire {
        case .grpcWeb:
            let (status, trailers) = GRPCWebCoding.trailers(payload)
            return .status(status, trailers)
        default:
            guard let (status, trailers) = ConnectCoding.endStream(payload) else {
                return .status(Status(code: .internalError, message: "The end-of-stream message is not JSON."), [:])
            }
            return .status(status, trailers)
        }
    }

    private static func deframingFailure(_ failure: GRPCMessageDeframer.Failure) -> Action {
        let status: Status
        switch failure {
        case .tooLarge(let length, let limit):
            status = Status(
                code: .resourceExhausted,
                message: "Response message of \(length) bytes exceeds the limit of \(limit) bytes."
            )
        case .inflatesTooLarge(let limit):
            status = Status(
                code: .resourceExhausted,
                message: "A compressed response message inflates to more than the limit of \(limit) bytes."
            )
        case .compressed:
            status = Status(
                code: .internalError,
                message: "The server sent a compressed message, but no compression was negotiated."
            )
        case .unsupportedEncoding(let name):
            status = Status(
                code: .internalError,
                message: "The server compressed a message with '\(name)', which this client does not accept."
            )
        case .corrupt(let reason):
            status = Status(
                code: .internalError,
                message: "A compressed response message cannot be decompressed: \(reason)."
            )
        case .invalidFlag(let flag):
            status = Status(code: .internalError, message: "The server sent a message with invalid flag byte \(flag).")
        }
        return Action(parts: [.status(status, [:])], reset: HTTP2ErrorCode.cancel, finished: true)
    }

    mutating func receivedEndOfData() -> Action {
        guard !isClosed else { return Action() }
        guard case .collecting(let response) = state else {
            return fail(
                .internalError,
                "The server ended the stream without sending \(wire.statusCarrier).",
                reset: false
            )
        }
        state = .closed
        var body = response.body
        if case .compressed(let decompressor) = response.encoding, !body.isEmpty {
            guard let inflated = try? decompressor.decompress(body[...], limit: maxResponseMessageBytes) else {
                return Self.deframingFailure(.inflatesTooLarge(limit: maxResponseMessageBytes))
            }
            body = inflated
        }
        guard response.httpStatus == 200 else {
            let fallback = HTTPStatusMapping.code(forHTTPStatus: response.httpStatus)
            let object = try? Google_Protobuf_Struct(jsonString: String(decoding: body, as: UTF8.self))
            let (status, details) =
                object.map { ConnectCoding.status(fromError: $0, fallback: fallback) }
                ?? (Status(code: fallback, message: "HTTP status \(response.httpStatus) without a Connect error."), [:])
            var trailers = response.trailers
            trailers.add(contentsOf: details)
            return Action(parts: [.status(status, trailers)], finished: true)
        }
        return Action(
            parts: [.message(body), .status(Status(code: .ok, message: ""), response.trailers)],
            finished: true
        )
    }

    mutating func streamClosed(errorCode: UInt32) -> Action {
        guard !isClosed else { return Action(finished: true) }
        if errorCode == HTTP2ErrorCode.refusedStream, case .awaitingHeaders = state {
            state = .closed
            let error = RPCError(
                code: .unavailable,
                message: "The server refused the stream before processing it.",
                cause: StreamRefusedError()
            )
            return Action(finished: true, failure: error)
        }
        let code =
            errorCode == HTTP2ErrorCode.noError
            ? Status.Code.internalError : HTTPStatusMapping.code(forResetCode: errorCode)
        return fail(
            code,
            "The stream was closed by the server (HTTP/2 error code \(errorCode)) before it sent a status.",
            reset: false
        )
    }
}
