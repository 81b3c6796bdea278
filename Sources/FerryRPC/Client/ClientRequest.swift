import Synchronization

/// A request with one message, for unary and server-streaming calls.
public struct ClientRequest<Message: Sendable>: Sendable {
    /// Request metadata, sent as headers.
    public var metadata: Metadata
    /// The request message.
    public var message: Message

    /// Creates a request.
    public init(message: Message, metadata: Metadata = [:]) {
        self.message = message
        self.metadata = metadata
    }
}

/// A request whose messages are produced by a closure, for client-streaming and bidirectional calls.
///
/// The producer runs concurrently with the handling of responses; when it returns the request
/// stream is half-closed. If it throws, the call is cancelled and fails with that error.
public struct StreamingClientRequest<Message: Sendable>: Sendable {
    /// Request metadata, sent as headers.
    public var metadata: Metadata
    /// Writes the request messages.
    public var producer: @Sendable (RPCWriter<Message>) async throws -> Void

    /// Creates a request.
    public init(metadata: Metadata = [:], producer: @escaping @Sendable (RPCWriter<Message>) async throws -> Void) {
        self.metadata = metadata
        self.producer = producer
    }

    /// A request that sends the given messages.
    public init(messages: [Message], metadata: Metadata = [:]) {
        self.init(metadata: metadata) { writer in try await writer.write(contentsOf: messages) }
    }
}

/// The response of a call with one response message.
public struct ClientResponse<Message: Sendable>: Sendable {
    /// Response metadata (headers).
    public var metadata: Metadata
    /// The response message.
    public var message: Message
    /// Trailing metadata.
    public var trailingMetadata: Metadata

    /// Creates a response.
    public init(message: Message, metadata: Metadata = [:], trailingMetadata: Metadata = [:]) {
        self.message = message
        self.metadata = metadata
        self.trailingMetadata = trailingMetadata
    }
}

/// The response of a call with a stream of response messages.
///
/// `messages` ends normally when the server finishes with OK and throws ``RPCError`` for any other
/// status; after it ended, ``trailingMetadata`` holds the trailers.
public struct StreamingClientResponse<Message: Sendable>: Sendable {
    /// Response metadata (headers).
    public var metadata: Metadata
    /// The response messages.
    public var messages: RPCAsyncSequence<Message>
    let trailers: TrailersBox

    package init(metadata: Metadata, messages: RPCAsyncSequence<Message>, trailers: TrailersBox) {
        self.metadata = metadata
        self.messages = messages
        self.trailers = trailers
    }

    /// The trailing metadata; empty until ``messages`` has ended.
    public var trailingMetadata: Metadata { trailers.value }

    /// A response with the given headers and messages (and no trailers): for tests and for client
    /// interceptors that answer a call themselves.
    public init(metadata: Metadata = [:], messages: RPCAsyncSequence<Message>) {
        self.init(metadata: metadata, messages: messages, trailers: TrailersBox())
    }

    /// The same response, calling `body` exactly once when the call ends: with the trailers when
    /// ``messages`` ended with OK, with the error it threw, or with CANCELLED when the caller stopped
    /// reading before the end. Where a client interceptor sees a call's status.
    public func onFinish(
        _ body: @escaping @Sendable (Result<Metadata, RPCError>) -> Void
    ) -> StreamingClientResponse<Message> {
        let once = Mutex(false)
        let report: @Sendable (Result<Metadata, RPCError>) -> Void = { outcome in
            let first = once.withLock { fired in
                defer { fired = true }
                return !fired
            }
            if first { body(outcome) }
        }
        let trailers = self.trailers
        trailers.onCallEnd {
            report(
                .failure(RPCError(code: .cancelled, message: "The caller stopped reading responses before the end."))
            )
        }
        let makeNext = messages.makeNext
        let observed = RPCAsyncSequence<Message>(makeNext: {
            let next = makeNext()
            return { () async throws(RPCError) -> Message? in
                do throws(RPCError) {
                    guard let message = try await next() else {
                        report(.success(trailers.value))
                        return nil
                    }
                    return message
                } catch {
                    report(.failure(error))
                    throw error
                }
            }
        })
        return StreamingClientResponse(metadata: metadata, messages: observed, trailers: trailers)
    }
}
