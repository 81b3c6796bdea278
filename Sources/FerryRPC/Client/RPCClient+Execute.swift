import Synchronization

/// The settings of one call after merging ``CallOptions`` with the service config and defaults.
struct ResolvedCallOptions: Sendable {
    var deadline: ContinuousClock.Instant?
    var maxRequestMessageBytes: Int
    var maxResponseMessageBytes: Int
    var retryPolicy: RetryPolicy?
    var hedgingPolicy: HedgingPolicy?
    var waitForReady: Bool
    var compression: CompressionAlgorithm?
}

extension RPCClient {
    func resolve(_ options: CallOptions, for descriptor: MethodDescriptor) -> ResolvedCallOptions {
        let config = transport.config(forMethod: descriptor)
        var deadline = options.deadline
        if let timeout = options.timeout ?? config?.timeout {
            deadline = Self.earlier(deadline, clock.now.advanced(by: timeout))
        }
        if options.inheritsDeadline {
            deadline = Self.earlier(deadline, RPCDeadline.current)
        }
        // A policy in the call options replaces the service config's, whichever kind it is.
        var retryPolicy = config?.retryPolicy
        var hedgingPolicy = config?.hedgingPolicy
        if let hedging = options.hedgingPolicy {
            (retryPolicy, hedgingPolicy) = (nil, hedging)
        } else if let retry = options.retryPolicy {
            (retryPolicy, hedgingPolicy) = (retry, nil)
        }
        return ResolvedCallOptions(
            deadline: deadline,
            maxRequestMessageBytes: options.maxRequestMessageBytes ?? config?.maxRequestMessageBytes
                ?? CallOptions.defaultMaxMessageBytes,
            maxResponseMessageBytes: options.maxResponseMessageBytes ?? config?.maxResponseMessageBytes
                ?? CallOptions.defaultMaxMessageBytes,
            retryPolicy: retryPolicy,
            hedgingPolicy: hedgingPolicy,
            waitForReady: options.waitForReady ?? config?.waitForReady ?? false,
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
        kind: RPCKind = .bidirectionalStreaming,
        onResponse: @escaping @Sendable (StreamingClientResponse<Response>) async throws -> Result
    ) async throws(RPCError) -> Result {
        let active = interceptors.isEmpty ? [] : interceptors(for: descriptor)
        guard !active.isEmpty else {
            return try await executeCore(
                request: request,
                descriptor: descriptor,
                serializer: serializer,
                deserializer: deserializer,
                options: options,
                kind: kind,
                onResponse: onResponse
            )
        }
        do {
            return try await executeIntercepted(
                active,
                request: request,
                descriptor: descriptor,
                serializer: serializer,
                deserializer: deserializer,
                options: options,
                kind: kind,
                onResponse: onResponse
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
        kind: RPCKind,
        onResponse: @escaping @Sendable (StreamingClientResponse<Response>) async throws -> Result
    ) async throws(RPCError) -> Result {
        let resolved = resolve(options, for: descriptor)
        if let deadline = resolved.deadline, deadline <= clock.now { throw Self.deadlineExceeded() }
        let deadlineFlag = resolved.deadline == nil ? nil : DeadlineFlag()
        let call = CallExecution(
            client: self,
            request: request,
            descriptor: descriptor,
            serializer: serializer,
            deserializer: deserializer,
            options: resolved,
            onResponse: onResponse,
            kind: kind,
            deadlineFlag: deadlineFlag
        )
        guard let deadline = resolved.deadline else {
            do { return try await call.run() } catch { throw RPCError(converting: error) }
        }
        let clock = self.clock
        do {
            return try await withThrowingTaskGroup(of: Race<Result>.self) { group in
                group.addTask {
                    do {
                        try await clock.sleep(until: deadline)
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
struct CallExecution<
    Request: Sendable,
    Response: Sendable,
    Result: Sendable,
    Serializer: MessageSerializer<Request>,
    Deserializer: MessageDeserializer<Response>
>: Sendable {
    let client: RPCClient
    let request: StreamingClientRequest<Request>
    let descriptor: MethodDescriptor
    let serializer: Serializer
    let deserializer: Deserializer
    let options: ResolvedCallOptions
    let onResponse: @Sendable (StreamingClientResponse<Response>) async throws -> Result
    /// The call's shape: the transport needs it for protocols that frame unary calls differently
    /// (Connect), and a single-message request can be sent again as it is.
    let kind: RPCKind
    /// Whether running `request.producer` again sends the same request (true for single-message
    /// requests, whose producer the client builds itself).
    var requestIsReplayable: Bool { kind == .unary || kind == .serverStreaming }
    /// Set when the deadline passed; nil for a call without a deadline.
    let deadlineFlag: DeadlineFlag?

    /// Where an attempt takes its request messages from.
    enum RequestSource: Sendable {
        case producer
        case replay(ReplayBuffer)
    }

    /// What a server's `grpc-retry-pushback-ms` says.
    enum Pushback: Sendable, Equatable {
        /// No pushback: the policy decides.
        case none
        /// Wait this long before the next attempt.
        case delay(Duration)
        /// Do not retry or hedge again (a negative or malformed value).
        case stop
    }

    enum AttemptOutcome: Sendable {
        case finished(Result)
        case retry(RPCError, pushback: Pushback)
        /// The server refused the stream without processing it; retried transparently.
        case refused(RPCError)
        /// Another hedged attempt committed first; this one's result does not count.
        case lost
    }

    /// How many times an attempt the server refused unprocessed is sent again, on top of the policy.
    static var maxTransparentRetries: Int { 3 }

    func run() async throws -> Result {
        let throttle = client.transport.retryThrottle
        if let policy = options.hedgingPolicy {
            return try await runHedged(policy, throttle: throttle)
        }
        guard let policy = options.retryPolicy else {
            var number = 1
            while true {
                switch try await attempt(number: number, source: .producer, retryable: []) {
                case .finished(let result):
                    throttle?.recordSuccess()
                    return result
                case .retry(let error, _):
                    throw error
                case .refused(let error):
                    // Only a request the executor built from one message can be produced again.
                    guard requestIsReplayable, number <= Self.maxTransparentRetries else { throw error }
                    number += 1
                case .lost:
                    throw RPCError(code: .internalError, message: "An attempt that cannot lose lost.")
                }
            }
        }
        let replay = ReplayBuffer(limit: client.retryBufferLimits.perCallBytes, pool: client.retryBufferPool)
        defer { replay.release() }
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await produce(into: replay) }
            var number = 1
            var policyAttempts = 1
            var transparentRetries = 0
            while true {
                let canRetry = policyAttempts < policy.maxAttempts && !replay.isCommitted
                let codes = canRetry ? policy.retryableStatusCodes : []
                switch try await attempt(number: number, source: .replay(replay), retryable: codes) {
                case .finished(let result):
                    throttle?.recordSuccess()
                    group.cancelAll()
                    return result
                case .refused(let error):
                    guard !replay.isCommitted, transparentRetries < Self.maxTransparentRetries else { throw error }
                    transparentRetries += 1
                    number += 1
                case .retry(let error, let pushback):
                    throttle?.recordFailure()
                    // The request outgrew the retry buffer during the attempt: it cannot be sent again.
                    guard !replay.isCommitted, throttle?.isRetryPermitted ?? true else { throw error }
                    let delay: Duration
                    switch pushback {
                    case .stop: throw error
                    case .delay(let pushed): delay = pushed
                    case .none: delay = policy.backoff(beforeRetry: policyAttempts)
                    }
                    if let deadline = options.deadline, client.clock.now.advanced(by: delay) >= deadline {
                        throw error
                    }
                    try await client.clock.sleep(for: delay)
                    number += 1
                    policyAttempts += 1
                case .lost:
                    throw RPCError(code: .internalError, message: "An attempt that cannot lose lost.")
                }
            }
        }
    }

    /// Runs the request producer once, keeping its messages for every attempt.
    func produce(into replay: ReplayBuffer) async {
        do {
            try await request.producer(
                RPCWriter(withOptions: { message, options throws(RPCError) in
                    try await replay.append(try serialize(message), options: options)
                })
            )
            replay.finish()
        } catch {
            replay.finish(throwing: RPCError(converting: error))
        }
    }
}
