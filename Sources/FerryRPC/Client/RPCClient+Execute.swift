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
            requestIsReplayable: requestIsReplayable,
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
    private func produce(into replay: ReplayBuffer) async {
        do {
            try await request.producer(RPCWriter(withOptions: { message, options throws(RPCError) in
                try await replay.append(try serialize(message), options: options)
            }))
            replay.finish()
        } catch {
            replay.finish(throwing: RPCError(converting: error))
        }
    }

    private enum HedgeEvent: Sendable {
        case produced
        case outcome(AttemptOutcome)
        case failed(any Error, attempt: Int)
        case timer(generation: Int)
        case timerStopped
    }

    /// Hedges the call (A6): a new attempt every `hedgingDelay` (or at once after a non-fatal
    /// status, or after a server's pushback) until one commits by receiving response headers or a
    /// final status; the others are cancelled.
    private func runHedged(_ policy: HedgingPolicy, throttle: RetryThrottle?) async throws -> Result {
        let replay = ReplayBuffer(limit: client.retryBufferLimits.perCallBytes, pool: client.retryBufferPool)
        defer { replay.release() }
        let commit = HedgeCommit()
        let clock = client.clock
        return try await withThrowingTaskGroup(of: HedgeEvent.self) { group in
            group.addTask {
                await produce(into: replay)
                return .produced
            }
            var started = 0
            var running = 0
            var generation = 0
            var timerArmed = false
            var stopped = false
            var lastError: RPCError?

            func launch() {
                started += 1
                running += 1
                let number = started
                group.addTask {
                    do {
                        let outcome = try await commit.run(attempt: number) {
                            try await attempt(
                                number: number, source: .replay(replay), retryable: policy.nonFatalStatusCodes,
                                commit: { commit.commit(number) }
                            )
                        }
                        return .outcome(outcome)
                    } catch {
                        return .failed(error, attempt: number)
                    }
                }
            }
            func arm(after delay: Duration) {
                generation += 1
                timerArmed = true
                let current = generation
                group.addTask {
                    do {
                        try await clock.sleep(for: delay)
                        return .timer(generation: current)
                    } catch {
                        return .timerStopped
                    }
                }
            }
            func mayHedge() -> Bool {
                !stopped && started < policy.maxAttempts && !replay.isCommitted && (throttle?.isRetryPermitted ?? true)
            }
            func hedgeNow() {
                generation += 1
                timerArmed = false
                guard mayHedge() else { return }
                launch()
                if started < policy.maxAttempts { arm(after: policy.hedgingDelay) }
            }

            launch()
            if started < policy.maxAttempts { arm(after: policy.hedgingDelay) }
            while let event = try await group.next() {
                switch event {
                case .produced, .timerStopped:
                    continue
                case .timer(let fired):
                    guard fired == generation else { continue }
                    hedgeNow()
                case .outcome(.finished(let result)):
                    throttle?.recordSuccess()
                    group.cancelAll()
                    return result
                case .outcome(.lost):
                    running -= 1
                    continue
                case .outcome(.refused(let error)):
                    running -= 1
                    lastError = error
                    hedgeNow()
                case .outcome(.retry(let error, let pushback)):
                    running -= 1
                    lastError = error
                    throttle?.recordFailure()
                    switch pushback {
                    case .none:
                        hedgeNow()
                    case .delay(let delay):
                        generation += 1
                        timerArmed = false
                        if mayHedge() { arm(after: delay) }
                    case .stop:
                        stopped = true
                    }
                case .failed(let error, let number):
                    running -= 1
                    // A failure before any attempt committed, or of the committed one, ends the call.
                    if commit.commit(number) {
                        group.cancelAll()
                        throw error
                    }
                    continue
                }
                if running == 0, !(timerArmed && mayHedge()) {
                    group.cancelAll()
                    throw lastError ?? RPCError(code: .internalError, message: "Every hedged attempt ended without a status.")
                }
            }
            throw RPCError(code: .cancelled, message: "The RPC was cancelled.")
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
    ///
    /// - Parameters:
    ///   - retryable: the statuses that end the attempt with ``AttemptOutcome/retry(_:pushback:)``
    ///     instead of ending the call (none when the call cannot be retried).
    ///   - commit: for a hedged attempt, asks to become the call's one attempt; false when another
    ///     attempt won (this one then ends with ``AttemptOutcome/lost``).
    private func attempt(
        number: Int,
        source: RequestSource,
        retryable: Set<Status.Code>,
        commit: (@Sendable () -> Bool)? = nil
    ) async throws -> AttemptOutcome {
        let streamOptions = ClientStreamOptions(
            deadline: options.deadline,
            maxResponseMessageBytes: options.maxResponseMessageBytes,
            compression: options.compression,
            waitForReady: options.waitForReady
        )
        return try await client.transport.withStream(descriptor: descriptor, options: streamOptions) { stream in
            if requestIsReplayable, case .producer = source {
                // One request message: sending it never waits for the response (a write waits only
                // for flow control, and a stream that ends fails it), so send, then receive, in
                // this task instead of two.
                do throws(RPCError) {
                    try await send(on: stream.outbound, attempt: number, source: source)
                } catch {
                    return try Self.classify(error, retryable: retryable, commit: commit)
                }
                return try await receive(from: stream.inbound, retryable: retryable, commit: commit)
            }
            return try await withThrowingTaskGroup(of: AttemptTask.self) { group in
                group.addTask {
                    do throws(RPCError) {
                        try await send(on: stream.outbound, attempt: number, source: source)
                    } catch {
                        return .done(try Self.classify(error, retryable: retryable, commit: commit))
                    }
                    return .sent
                }
                group.addTask {
                    .done(try await receive(from: stream.inbound, retryable: retryable, commit: commit))
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

    /// What a failure before the response began means for the call: a transparent retry when the
    /// server refused the stream unprocessed, a retry when the status is retryable (A6 retries on
    /// status codes whatever their origin, so a client-side UNAVAILABLE counts), else the call's
    /// error, unless another hedged attempt already won.
    static func classify(
        _ error: RPCError,
        retryable: Set<Status.Code>,
        commit: (@Sendable () -> Bool)?
    ) throws(RPCError) -> AttemptOutcome {
        if error.cause is StreamRefusedError { return .refused(error) }
        if retryable.contains(error.code) { return .retry(error, pushback: .none) }
        if let commit, !commit() { return .lost }
        throw error
    }

    /// Sends metadata and messages, then half-closes. Failures to write (the stream already ended)
    /// are not errors here: the receiving side reports the stream's status.
    private func send(on outbound: ClosableRPCWriter<RPCRequestPart>, attempt: Int, source: RequestSource) async throws(RPCError) {
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
    private func receive(
        from inbound: RPCAsyncSequence<RPCResponsePart>,
        retryable: Set<Status.Code>,
        commit: (@Sendable () -> Bool)?
    ) async throws -> AttemptOutcome {
        var iterator = inbound.makeAsyncIterator()
        let first: RPCResponsePart?
        do throws(RPCError) {
            first = try await iterator.next()
        } catch {
            return try Self.classify(error, retryable: retryable, commit: commit)
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
                if let commit, !commit() { return .lost }
                headers = Metadata()
                rest = IteratorBox(RPCAsyncSequence(elements: [.status(status, trailing)]).makeAsyncIterator())
            } else {
                let error = RPCError(status: status, metadata: trailing)
                if retryable.contains(status.code) {
                    return .retry(error, pushback: Self.pushback(in: trailing))
                }
                if let commit, !commit() { return .lost }
                throw error
            }
        case .metadata(let metadata):
            if let commit, !commit() { return .lost }
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

    /// The server's retry pushback (`grpc-retry-pushback-ms`).
    static func pushback(in trailers: Metadata) -> Pushback {
        guard let text = trailers.firstString(forKey: "grpc-retry-pushback-ms") else { return .none }
        guard let millis = Int64(text), millis >= 0 else { return .stop }
        return .delay(.milliseconds(millis))
    }
}

/// Tells a reader of a call's response stream that the call's deadline passed, which is why the
/// stream failed.
final class DeadlineFlag: Sendable {
    private let passed = Atomic(false)

    func set() { passed.store(true, ordering: .releasing) }

    var isSet: Bool { passed.load(ordering: .acquiring) }
}

/// Decides which hedged attempt a call commits to, and cancels the others when it does.
///
/// Each attempt runs in a task of its own so that the losers can be cancelled while the winner,
/// a sibling in the same task group, goes on handing its response to the caller.
final class HedgeCommit: Sendable {
    private struct State {
        var winner: Int?
        var cancellers: [Int: @Sendable () -> Void] = [:]
    }

    private let state = Mutex(State())

    /// Runs `body` as attempt `number`, cancellable by another attempt's commit.
    func run<Outcome: Sendable>(
        attempt number: Int,
        _ body: @escaping @Sendable () async throws -> Outcome
    ) async throws -> Outcome {
        let task = Task { try await body() }
        let lost = state.withLock { state -> Bool in
            state.cancellers[number] = { task.cancel() }
            return state.winner.map { $0 != number } ?? false
        }
        if lost { task.cancel() }
        defer { state.withLock { _ = $0.cancellers.removeValue(forKey: number) } }
        return try await withTaskCancellationHandler {
            try await task.value
        } onCancel: {
            task.cancel()
        }
    }

    /// Makes attempt `number` the call's attempt; false when another attempt already is. The
    /// others are cancelled.
    func commit(_ number: Int) -> Bool {
        let losers = state.withLock { state -> [@Sendable () -> Void]? in
            if let winner = state.winner { return winner == number ? [] : nil }
            state.winner = number
            return state.cancellers.filter { $0.key != number }.map(\.value)
        }
        guard let losers else { return false }
        for cancel in losers { cancel() }
        return true
    }
}
