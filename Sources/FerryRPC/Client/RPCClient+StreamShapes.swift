/// The stream shapes generated stubs offer on top of the closure-based calls: responses as an
/// `AsyncSequence`, and a bidirectional call whose body both writes requests and reads responses.
extension RPCClient {
    /// Makes a server-streaming call whose responses are an `AsyncSequence`.
    ///
    /// The call starts when iteration starts (in a task of its own, which inherits the caller's task
    /// locals, so a handler's deadline still applies) and is cancelled when the iterator is dropped
    /// before the end. A non-OK status is thrown by the sequence as ``RPCError``.
    public func serverStreaming<Request: Sendable, Response: Sendable>(
        request: ClientRequest<Request>,
        descriptor: MethodDescriptor,
        serializer: some MessageSerializer<Request>,
        deserializer: some MessageDeserializer<Response>,
        options: CallOptions = .defaults
    ) -> RPCAsyncSequence<Response> {
        RPCAsyncSequence(startingCall: { responses in
            try await self.serverStreaming(
                request: request,
                descriptor: descriptor,
                serializer: serializer,
                deserializer: deserializer,
                options: options
            ) { response in
                for try await message in response.messages { try await responses.write(message) }
            }
        })
    }

    /// Makes a bidirectional-streaming call driven by one closure that writes requests and reads
    /// responses as it likes (a ping-pong, say).
    ///
    /// The request stream is half-closed when `body` calls `finish()` on the writer or returns. If
    /// `body` returns before the responses ended, the call is cancelled. A non-OK status is thrown by
    /// the response sequence; writes fail once the call has ended.
    public func bidirectionalStreaming<Request: Sendable, Response: Sendable, Result: Sendable>(
        metadata: Metadata = [:],
        descriptor: MethodDescriptor,
        serializer: some MessageSerializer<Request>,
        deserializer: some MessageDeserializer<Response>,
        options: CallOptions = .defaults,
        body: @escaping @Sendable (ClosableRPCWriter<Request>, RPCAsyncSequence<Response>) async throws -> Result
    ) async throws(RPCError) -> Result {
        try await Self.bridgeBidirectional(metadata: metadata, body: body) { request, onResponse in
            try await self.bidirectionalStreaming(
                request: request,
                descriptor: descriptor,
                serializer: serializer,
                deserializer: deserializer,
                options: options,
                onResponse: onResponse
            )
        }
    }

    /// Turns a bidirectional call in its closure form (`call`: a request producer and a response
    /// handler) into the shape where one `body` writes requests and reads responses, as
    /// ``bidirectionalStreaming(metadata:descriptor:serializer:deserializer:options:body:)`` does.
    /// Generated client protocols use it to give every implementation, fakes included, that shape.
    public static func bridgeBidirectional<Request: Sendable, Response: Sendable, Result: Sendable>(
        metadata: Metadata,
        body: @escaping @Sendable (ClosableRPCWriter<Request>, RPCAsyncSequence<Response>) async throws -> Result,
        call:
            @escaping @Sendable (
                StreamingClientRequest<Request>,
                @escaping @Sendable (StreamingClientResponse<Response>) async throws -> Void
            ) async throws -> Void
    ) async throws(RPCError) -> Result {
        let requests = StreamBuffer<(Request, WriteOptions)>()
        let responses = StreamBuffer<Response>()
        let request = StreamingClientRequest<Request>(metadata: metadata) { writer in
            while let (message, options) = try await requests.next() {
                try await writer.write(message, options: options)
            }
        }
        do {
            return try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    do {
                        try await call(request) { response in
                            for try await message in response.messages { try await responses.write(message) }
                        }
                        responses.finish()
                        requests.finish()
                    } catch {
                        let failure = RPCError(converting: error)
                        responses.finish(throwing: failure)
                        requests.cancel(failure)
                    }
                }
                let writer = ClosableRPCWriter<Request>(
                    writeWithOptions: { message, options throws(RPCError) in
                        try await requests.write((message, options))
                    },
                    finish: { requests.finish() }
                )
                let result = try await body(writer, RPCAsyncSequence(buffer: responses))
                requests.finish()
                if !responses.isFinished { group.cancelAll() }
                try await group.waitForAll()
                return result
            }
        } catch {
            throw RPCError(converting: error)
        }
    }
}

extension RPCAsyncSequence {
    /// A sequence whose elements a call writes: `run` starts in a task of its own when iteration
    /// starts (inheriting the caller's task locals, so a handler's deadline still applies) and is
    /// cancelled when the iterator is dropped before the end; an error it throws ends the sequence.
    /// How a server-streaming call becomes an `AsyncSequence`, for generated clients and fakes alike.
    public init(startingCall run: @escaping @Sendable (RPCWriter<Element>) async throws -> Void) {
        self.init(makeNext: {
            let call = BackgroundCall<Element> { buffer in try await run(RPCWriter(buffer: buffer)) }
            return { () async throws(RPCError) -> Element? in try await call.next() }
        })
    }

    /// The responses of a server-streaming call made in its closure form: `call` passes the
    /// handler it is given on as the call's `onResponse`. Generated short forms use it.
    public init(
        responsesOf call:
            @escaping @Sendable (
                _ onResponse: @escaping @Sendable (StreamingClientResponse<Element>) async throws -> Void
            ) async throws -> Void
    ) {
        self.init(startingCall: { responses in
            try await call { response in
                for try await message in response.messages { try await responses.write(message) }
            }
        })
    }
}

/// A call running in a task of its own, feeding a buffer that an iterator reads; dropping the last
/// reference (the iterator) cancels the task.
private final class BackgroundCall<Element: Sendable>: Sendable {
    private let buffer: StreamBuffer<Element>
    private let task: Task<Void, Never>

    init(_ run: @escaping @Sendable (StreamBuffer<Element>) async throws -> Void) {
        let buffer = StreamBuffer<Element>()
        self.buffer = buffer
        self.task = Task {
            do {
                try await run(buffer)
                buffer.finish()
            } catch {
                buffer.finish(throwing: RPCError(converting: error))
            }
        }
    }

    func next() async throws(RPCError) -> Element? {
        try await buffer.next()
    }

    deinit {
        task.cancel()
        buffer.cancel(RPCError(code: .cancelled, message: "The response sequence was dropped before its end."))
    }
}
