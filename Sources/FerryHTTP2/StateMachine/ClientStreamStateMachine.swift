import FerryRPC

/// The receiving side of one client stream: response headers, messages, trailers.
///
/// Each event returns an action for the connection handler to carry out; the machine never touches
/// the network itself.
struct ClientStreamStateMachine {
    private enum State {
        case awaitingHeaders
        case receiving(GRPCMessageDeframer)
        case closed
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

    init(
        maxResponseMessageBytes: Int,
        acceptedEncodings: [CompressionAlgorithm] = [],
        decompressors: DecompressorCache = DecompressorCache()
    ) {
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
            if httpStatus != 200 {
                let code = HTTPStatusMapping.code(forHTTPStatus: httpStatus)
                return fail(
                    code,
                    "Unexpected HTTP status \(httpStatus) from a peer that is not answering with gRPC.",
                    reset: !endStream
                )
            }
            if endStream {
                state = .closed
                let status = HeaderCoding.status(from: fields)
                return Action(parts: [.status(status, HeaderCoding.metadata(from: fields))], finished: true)
            }
            guard HeaderCoding.isGRPCContentType(HeaderCoding.value("content-type", in: fields)) else {
                let contentType = HeaderCoding.value("content-type", in: fields) ?? "none"
                return fail(
                    .unknown,
                    "The response has content-type '\(contentType)', not application/grpc.",
                    reset: true
                )
            }
            let encoding = EncodingNegotiation.inbound(
                HeaderCoding.value("grpc-encoding", in: fields),
                enabled: acceptedEncodings,
                decompressors: decompressors
            )
            state = .receiving(GRPCMessageDeframer(maxMessageBytes: maxResponseMessageBytes, encoding: encoding))
            return Action(parts: [.metadata(HeaderCoding.metadata(from: fields))])
        case .receiving:
            state = .closed
            let status = HeaderCoding.status(from: fields)
            return Action(
                parts: [.status(status, HeaderCoding.metadata(from: fields))],
                reset: endStream ? nil : HTTP2ErrorCode.cancel,
                finished: true
            )
        case .closed:
            return Action()
        }
    }

    mutating func receivedData(_ bytes: [UInt8]) -> Action {
        guard case .receiving(var deframer) = state else {
            if case .awaitingHeaders = state {
                return fail(.internalError, "The server sent a message before response headers.", reset: true)
            }
            return Action()
        }
        state = .closed  // avoid a copy of the deframer's buffer while it is mutated
        deframer.append(bytes)
        var parts: [RPCResponsePart] = []
        do {
            while let message = try deframer.next() { parts.append(.message(message)) }
        } catch {
            var action = Self.deframingFailure(error)
            action.parts.insert(contentsOf: parts, at: 0)
            return action
        }
        state = .receiving(deframer)
        return Action(parts: parts)
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
        return fail(.internalError, "The server ended the stream without sending trailers.", reset: false)
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
