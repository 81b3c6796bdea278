import Synchronization

/// One attempt of a call: serializing, sending, receiving, and classifying how it ended.
extension CallExecution {
    func serialize(_ message: Request) throws(RPCError) -> [UInt8] {
        let bytes = try serializer.serialize(message)
        if bytes.count > options.maxRequestMessageBytes {
            throw RPCError(
                code: .resourceExhausted,
                message:
                    """
                    Request message of \(bytes.count) bytes exceeds the limit of \
                    \(options.maxRequestMessageBytes) bytes.
                    """
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
    func attempt(
        number: Int,
        source: RequestSource,
        retryable: Set<Status.Code>,
        commit: (@Sendable () -> Bool)? = nil
    ) async throws -> AttemptOutcome {
        let streamOptions = ClientStreamOptions(
            deadline: options.deadline,
            maxResponseMessageBytes: options.maxResponseMessageBytes,
            compression: options.compression,
            waitForReady: options.waitForReady,
            kind: kind
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
    func send(
        on outbound: ClosableRPCWriter<RPCRequestPart>,
        attempt: Int,
        source: RequestSource
    ) async throws(RPCError) {
        var metadata = request.metadata
        if attempt > 1 {
            metadata.replaceOrAddString(String(attempt - 1), forKey: "grpc-previous-rpc-attempts")
        }
        let writeFailed = Mutex(false)
        do {
            try await outbound.write(.metadata(metadata))
            switch source {
            case .producer:
                try await request.producer(
                    RPCWriter(withOptions: { message, options throws(RPCError) in
                        let bytes = try serialize(message)
                        do throws(RPCError) {
                            try await outbound.write(.message(bytes), options: options)
                        } catch {
                            writeFailed.withLock { $0 = true }
                            throw error
                        }
                    })
                )
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
    func receive(
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
