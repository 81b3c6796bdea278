import Synchronization

/// The settings of one call after merging ``CallOptions`` with the service config and defaults.
struct ResolvedCallOptions: Sendable {
    var deadline: ContinuousClock.Instant?
    var maxRequestMessageBytes: Int
    var maxResponseMessageBytes: Int
    var retryPolicy: RetryPolicy?
    var compression: CompressionAlgorithm?
}

extension RPCClient {
    func resolve(_ options: CallOptions, for descriptor: MethodDescriptor) -> ResolvedCallOptions {
        let config = serviceConfig.config(for: descriptor)
        let now = ContinuousClock.now
        var deadline = options.deadline
        if let timeout = options.timeout ?? config?.timeout {
            deadline = Self.earlier(deadline, now.advanced(by: timeout))
        }
        if options.inheritsDeadline {
            deadline = Self.earlier(deadline, RPCDeadline.current)
        }
        return ResolvedCallOptions(
            deadline: deadline,
            maxRequestMessageBytes: options.maxRequestMessageBytes ?? config?.maxRequestMessageBytes
                ?? CallOptions.defaultMaxMessageBytes,
            maxResponseMessageBytes: options.maxResponseMessageBytes ?? config?.maxResponseMessageBytes
                ?? CallOptions.defaultMaxMessageBytes,
            retryPolicy: options.retryPolicy ?? config?.retryPolicy,
            compression: options.compression
        )
    }

    static func earlier(_ a: ContinuousClock.Instant?, _ b: ContinuousClock.Instant?) -> ContinuousClock.Instant? {
        guard let a else { return b }
        guard let b else { return a }
        return min(a, b)
    }

    static func deadlineExceeded() -> RPCError {
        RPCError(code: .deadlineExceeded, message: "The RPC's deadline passed before it finished.")
    }

    private enum Race<Result: Sendable>: Sendable {
        case finished(Result)
        case deadlinePassed
        case timerStopped
    }

    /// Runs one call of any kind: deadline, attempts with retries, response handling.
    func execute<Request: Sendable, Response: Sendable, Result: Sendable>(
        request: StreamingClientRequest<Request>,
        descriptor: MethodDescriptor,
        serializer: some MessageSerializer<Request>,
        deserializer: some MessageDeserializer<Response>,
        options: CallOptions,
        requestIsReplayable: Bool = false,
        onResponse: @escaping @Sendable (StreamingClientResponse<Response>) async throws -> Result
    ) async throws(RPCError) -> Result {
        let active = interceptors.isEmpty ? [] : interceptors(for: descriptor)
        guard !active.isEmpty else {
            return try await executeCore(
                request: request, descriptor: descriptor, serializer: serializer, deserializer: deserializer,
                options: options, requestIsReplayable: requestIsReplayable, onResponse: onResponse
            )
        }
        do {
            return try await executeIntercepted(
                active, request: request, descriptor: descriptor, serializer: serializer, deserializer: deserializer,
                options: options, requestIsReplayable: requestIsReplayable, onResponse: onResponse
            )
        } catch {
            throw RPCError(converting: error)
        }
    }

    func executeCore<Request: Sendable, Response: Sendable, Result: Sendable>(
        request: StreamingClientRequest<Request>,
        descriptor: MethodDescriptor,
        serializer: some MessageSerializer<Request>,
        deserializer: some MessageDeserializer<Response>,
        options: CallOptions,
        requestIsReplayable: Bool,
        onResponse: @escaping @Sendable (StreamingClientResponse<Response>) async throws -> Result
    ) async throws(RPCError) -> Result {
        let resolved = resolve(options, for: descriptor)
        if let deadline = resolved.deadline, deadline <= .now { throw Self.deadlineExceeded() }
        let deadlineFlag = resolved.deadline == nil ? nil : DeadlineFlag()
        let call = CallExecution(
            client: self,
            request: request,
            descriptor: descriptor,
            serializer: serializer,
            deserializer: deserializer,
            options: resolved,
            onResponse: onResponse,
            requestIsReplayable: requestIsReplayable,
            deadlineFlag: deadlineFlag
        )
        guard let deadline = resolved.deadline else {
            do { return try await call.run() } catch { throw RPCError(converting: error) }
        }
        do {
            return try await withThrowingTaskGroup(of: Race<Result>.self) { group in
                group.addTask {
                    do {
                        try await Task.sleep(until: deadline, clock: .continuous)
                        return .deadlinePassed
                    } catch {
                        return .timerStopped
                    }
                }
                group.addTask { .finished(try await call.run()) }
                while let outcome = try await group.next() {
                    switch outcome {
                    case .finished(let result):
                        group.cancelAll()
                        return result
                    case .deadlinePassed:
                        // Set before the cancellation tears the stream down, so a reader of the
                        // response that sees the stream fail knows why.
                        deadlineFlag?.set()
                        group.cancelAll()
                        throw Self.deadlineExceeded()
                    case .timerStopped:
                        continue
                    }
                }
                throw RPCError(code: .cancelled, message: "The RPC was cancelled.")
            }
        } catch {
            throw RPCError(converting: error)
        }
    }
}

/// One call in flight: its attempts, request replay and response handover.
struct CallExecution<Request: Sendable, Response: Sendable, Result: Sendable, Serializer: MessageSerializer<Request>, Deserializer: MessageDeserializer<Response>>: Sendable {
    let client: RPCClient
    let request: StreamingClientRequest<Request>
    let descriptor: MethodDescriptor
    let serializer: Serializer
    let deserializer: Deserializer
    let options: ResolvedCallOptions
    let onResponse: @Sendable (StreamingClientResponse<Response>) async throws -> Result
    /// Whether running `request.producer` again sends the same request (true for single-message
    /// requests, whose producer the client builds itself).
    let requestIsReplayable: Bool
    /// Set when the deadline passed; nil for a call without a deadline.
    let deadlineFlag: DeadlineFlag?

    /// Where an attempt takes its request messages from.
    enum RequestSource: Sendable {
        case producer
        case replay(ReplayBuffer)
    }

    enum AttemptOutcome: Sendable {
        case finished(Result)
        case retry(RPCError, pushback: Duration?)
        /// The server refused the stream without processing it; retried transparently.
        case refused(RPCError)
    }

    /// How many times an attempt the server refused unprocessed is sent again, on top of the policy.
    static var maxTransparentRetries: Int { 3 }

    func run() async throws -> Result {
        guard let policy = options.retryPolicy else {
            var number = 1
            while true {
                switch try await attempt(number: number, source: .producer, retryable: false) {
                case .finished(let result):
                    return result
                case .retry(let error, _):
                    throw error
                case .refused(let error):
                    // Only a request the executor built from one message can be produced again.
                    guard requestIsReplayable, number <= Self.maxTransparentRetries else { throw error }
                    number += 1
                }
            }
        }
        let replay = ReplayBuffer(limit: client.retryBufferLimits.perCallBytes, pool: client.retryBufferPool)
        defer { replay.release() }
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                do {
                    try await request.producer(RPCWriter(withOptions: { message, options throws(RPCError) in
                        try await replay.append(try serialize(message), options: options)
                    }))
                    replay.finish()
                } catch {
                    replay.finish(throwing: RPCError(converting: error))
                }
            }
            var number = 1
            var policyAttempts = 1
            var transparentRetries = 0
            while true {
                let canRetry = policyAttempts < policy.maxAttempts && !replay.isCommitted
                switch try await attempt(number: number, source: .replay(replay), retryable: canRetry) {
                case .finished(let result):
                    group.cancelAll()
                    return result
                case .refused(let error):
                    guard !replay.isCommitted, transparentRetries < Self.maxTransparentRetries else { throw error }
                    transparentRetries += 1
                    number += 1
                case .retry(let error, let pushback):
                    // The request outgrew the retry buffer during the attempt: it cannot be sent again.
                    guard !replay.isCommitted else { throw error }
                    let delay = pushback ?? policy.backoff(beforeRetry: policyAttempts)
                    if let deadline = options.deadline, ContinuousClock.now.advanced(by: delay) >= deadline {
                        throw error
                    }
                    try await Task.sleep(for: delay)
                    number += 1
                    policyAttempts += 1
                }
            }
        }
    }

    private func serialize(_ message: Request) throws(RPCError) -> [UInt8] {
        let bytes = try serializer.serialize(message)
        if bytes.count > options.maxRequestMessageBytes {
            throw RPCError(
                code: .resourceExhausted,
                message: "Request message of \(bytes.count) bytes exceeds the limit of \(options.maxRequestMessageBytes) bytes."
            )
        }
        return bytes
    }

    private enum AttemptTask: Sendable {
        case sent
        case done(AttemptOutcome)
    }

    /// Runs one attempt on a fresh stream.
    private func attempt(number: Int, source: RequestSource, retryable: Bool) async throws -> AttemptOutcome {
        let streamOptions = ClientStreamOptions(
            deadline: options.deadline,
            maxResponseMessageBytes: options.maxResponseMessageBytes,
            compression: options.compression
        )
        return try await client.transport.withStream(descriptor: descriptor, options: streamOptions) { stream in
            if requestIsReplayable, case .producer = source {
                // One request message: sending it never waits for the response (a write waits only
                // for flow control, and a stream that ends fails it), so send, then receive, in
                // this task instead of two.
                try await send(on: stream.outbound, attempt: number, source: source)
                return try await receive(from: stream.inbound, retryable: retryable)
            }
            return try await withThrowingTaskGroup(of: AttemptTask.self) { group in
                group.addTask {
                    try await send(on: stream.outbound, attempt: number, source: source)
                    return .sent
                }
                group.addTask {
                    .done(try await receive(from: stream.inbound, retryable: retryable))
                }
                while let task = try await group.next() {
                    if case .done(let outcome) = task {
                        group.cancelAll()
                        return outcome
                    }
                }
                throw RPCError(code: .internalError, message: "The attempt ended without an outcome.")
            }
        }
    }

    /// Sends metadata and messages, then half-closes. Failures to write (the stream already ended)
    /// are not errors here: the receiving side reports the stream's status.
    private func send(on outbound: ClosableRPCWriter<RPCRequestPart>, attempt: Int, source: RequestSource) async throws {
        var metadata = request.metadata
        if attempt > 1 {
            metadata.replaceOrAddString(String(attempt - 1), forKey: "grpc-previous-rpc-attempts")
        }
        let writeFailed = Mutex(false)
        do {
            try await outbound.write(.metadata(metadata))
            switch source {
            case .producer:
                try await request.producer(RPCWriter(withOptions: { message, options throws(RPCError) in
                    let bytes = try serialize(message)
                    do throws(RPCError) {
                        try await outbound.write(.message(bytes), options: options)
                    } catch {
                        writeFailed.withLock { $0 = true }
                        throw error
                    }
                }))
            case .replay(let replay):
                var index = 0
                while let entry = try await replay.message(at: index) {
                    do throws(RPCError) {
                        try await outbound.write(.message(entry.bytes), options: entry.options)
                    } catch {
                        writeFailed.withLock { $0 = true }
                        throw error
                    }
                    index += 1
                }
            }
            await outbound.finish()
        } catch {
            if writeFailed.withLock({ $0 }) { return }
            if let rpcError = error as? RPCError, rpcError.code == .cancelled, Task.isCancelled { return }
            throw RPCError(converting: error)
        }
    }

    /// Waits for the first response part, decides between retry and commit, and hands a committed
    /// response to `onResponse`.
    private func receive(from inbound: RPCAsyncSequence<RPCResponsePart>, retryable: Bool) async throws -> AttemptOutcome {
        var iterator = inbound.makeAsyncIterator()
        let first: RPCResponsePart?
        do throws(RPCError) {
            first = try await iterator.next()
        } catch {
            if error.cause is StreamRefusedError { return .refused(error) }
            throw error
        }
        let trailers = TrailersBox()
        let headers: Metadata
        let rest: IteratorBox<RPCResponsePart>
        switch first {
        case .none:
            throw RPCError(code: .unavailable, message: "The stream closed before the server sent a response.")
        case .message:
            throw RPCError(code: .internalError, message: "The server sent a message before response headers.")
        case .status(let status, let trailing):
            if status.code == .ok {
                headers = Metadata()
                rest = IteratorBox(RPCAsyncSequence(elements: [.status(status, trailing)]).makeAsyncIterator())
            } else {
                let error = RPCError(status: status, metadata: trailing)
                if retryable, let policy = options.retryPolicy, policy.retryableStatusCodes.contains(status.code) {
                    switch Self.pushback(in: trailing) {
                    case .none: return .retry(error, pushback: nil)
                    case .some(.some(let delay)): return .retry(error, pushback: delay)
                    case .some(.none): throw error
                    }
                }
                throw error
            }
        case .metadata(let metadata):
            headers = metadata
            rest = IteratorBox(iterator)
        }
        let maxBytes = options.maxResponseMessageBytes
        let deserializer = self.deserializer
        let deadlineFlag = self.deadlineFlag
        let messages = RPCAsyncSequence<Response>(makeNext: {
            var ended = false
            return { () async throws(RPCError) -> Response? in
                guard !ended else { return nil }
                let part: RPCResponsePart?
                do throws(RPCError) {
                    part = try await rest.next()
                } catch {
                    ended = true
                    if let deadlineFlag, deadlineFlag.isSet { throw RPCClient.deadlineExceeded() }
                    throw error
                }
                switch part {
                case .none:
                    ended = true
                    throw RPCError(code: .unavailable, message: "The stream closed before the server sent a status.")
                case .metadata:
                    ended = true
                    throw RPCError(code: .internalError, message: "The server sent response headers twice.")
                case .message(let bytes):
                    if bytes.count > maxBytes {
                        ended = true
                        throw RPCError(
                            code: .resourceExhausted,
                            message: "Response message of \(bytes.count) bytes exceeds the limit of \(maxBytes) bytes."
                        )
                    }
                    return try deserializer.deserialize(bytes)
                case .status(let status, let trailing):
                    ended = true
                    trailers.value = trailing
                    if status.code == .ok { return nil }
                    throw RPCError(status: status, metadata: trailing)
                }
            }
        })
        let response = StreamingClientResponse(metadata: headers, messages: messages, trailers: trailers)
        defer { trailers.endCall(unlessHandedOver: true) }
        return .finished(try await onResponse(response))
    }

    /// The server's retry pushback (`grpc-retry-pushback-ms`): nil when absent, `.some(nil)` when it
    /// says not to retry (negative or malformed), else the delay to use.
    static func pushback(in trailers: Metadata) -> Duration?? {
        guard let text = trailers.firstString(forKey: "grpc-retry-pushback-ms") else { return nil }
        guard let millis = Int64(text), millis >= 0 else { return .some(nil) }
        return .some(.milliseconds(millis))
    }
}

/// Tells a reader of a call's response stream that the call's deadline passed, which is why the
/// stream failed.
final class DeadlineFlag: Sendable {
    private let passed = Atomic(false)

    func set() { passed.store(true, ordering: .releasing) }

    var isSet: Bool { passed.load(ordering: .acquiring) }
}
