import Synchronization

extension RPCClient {
    /// The client's interceptors that apply to `method`, scopes resolved.
    func interceptors(for method: MethodDescriptor) -> [any ClientInterceptor] {
        InterceptorScope.applicable(interceptors, to: method) { interceptor in
            (interceptor as? ScopedClientInterceptor).map { ($0.scope, $0.base) }
        }
    }

    /// Runs a call through interceptors.
    ///
    /// Interceptors get the response as a value once its headers arrived, while the stream it reads
    /// from lives inside the executor's attempt. A call with one response message reads it whole
    /// inside the attempt, in the caller's task; a streaming call runs in a child task whose
    /// response handler hands the response out and waits until the caller's `onResponse` is done
    /// with it.
    func executeIntercepted<Request: Sendable, Response: Sendable, Result: Sendable>(
        _ active: [any ClientInterceptor],
        request: StreamingClientRequest<Request>,
        descriptor: MethodDescriptor,
        serializer: some MessageSerializer<Request>,
        deserializer: some MessageDeserializer<Response>,
        options: CallOptions,
        kind: RPCKind,
        onResponse: @escaping @Sendable (StreamingClientResponse<Response>) async throws -> Result
    ) async throws -> Result {
        if kind == .unary || kind == .clientStreaming {
            return try await executeInterceptedSingle(
                active,
                request: request,
                descriptor: descriptor,
                serializer: serializer,
                deserializer: deserializer,
                options: options,
                kind: kind,
                onResponse: onResponse
            )
        }
        return try await withThrowingTaskGroup(of: Void.self) { group in
            var handoffs: [ResponseHandoff<Response>] = []
            func releaseAll() { for handoff in handoffs { handoff.release() } }
            /// Ends the call for ``StreamingClientResponse/onFinish(_:)``: the caller is done reading.
            func endCall(_ response: StreamingClientResponse<Response>?) {
                response?.trailers.endCall()
                for handoff in handoffs { handoff.delivered?.trailers.endCall() }
            }
            let response: StreamingClientResponse<Response>
            do {
                response = try await ClientInterceptorChain.run(
                    active[...],
                    request: request,
                    context: ClientCallContext(descriptor: descriptor, options: options)
                ) { request, context throws(RPCError) in
                    let handoff = ResponseHandoff<Response>()
                    handoffs.append(handoff)
                    group.addTask {
                        do {
                            _ = try await self.executeCore(
                                request: request,
                                descriptor: context.descriptor,
                                serializer: serializer,
                                deserializer: deserializer,
                                options: context.options,
                                kind: kind
                            ) { response in
                                response.trailers.handOverEnd()
                                await handoff.deliver(response)
                            }
                        } catch {
                            handoff.fail(RPCError(converting: error))
                        }
                    }
                    return try await handoff.response()
                }
            } catch {
                endCall(nil)
                releaseAll()
                group.cancelAll()
                throw error
            }
            do {
                let result = try await onResponse(response)
                endCall(response)
                releaseAll()
                try await group.waitForAll()
                return result
            } catch {
                endCall(response)
                releaseAll()
                try await group.waitForAll()
                // The call's own failure (a deadline that passed, say) explains more than what
                // reading its torn-down stream reported.
                throw handoffs.last?.callError ?? error
            }
        }
    }
}

extension RPCClient {
    /// A call with one response message through interceptors, without a task hop: the attempt reads
    /// the response whole (at most two messages, so that a second one still fails the call as it
    /// would unintercepted) and hands the interceptors a response that no longer reads the stream.
    /// The call ends, for `onFinish`, when the caller is done with it, as for a streaming call.
    private func executeInterceptedSingle<Request: Sendable, Response: Sendable, Result: Sendable>(
        _ active: [any ClientInterceptor],
        request: StreamingClientRequest<Request>,
        descriptor: MethodDescriptor,
        serializer: some MessageSerializer<Request>,
        deserializer: some MessageDeserializer<Response>,
        options: CallOptions,
        kind: RPCKind,
        onResponse: @escaping @Sendable (StreamingClientResponse<Response>) async throws -> Result
    ) async throws -> Result {
        // The attempt's own trailers box, ended too: an interceptor may answer with a new response.
        let attemptTrailers = Mutex<TrailersBox?>(nil)
        func endCall(_ response: StreamingClientResponse<Response>?) {
            response?.trailers.endCall()
            attemptTrailers.withLock { $0 }?.endCall()
        }
        let response: StreamingClientResponse<Response>
        do {
            response = try await ClientInterceptorChain.run(
                active[...],
                request: request,
                context: ClientCallContext(descriptor: descriptor, options: options)
            ) { request, context throws(RPCError) in
                do {
                    return try await self.executeCore(
                        request: request,
                        descriptor: context.descriptor,
                        serializer: serializer,
                        deserializer: deserializer,
                        options: context.options,
                        kind: kind
                    ) { response in
                        var messages: [Response] = []
                        var failure: RPCError?
                        do {
                            for try await message in response.messages {
                                messages.append(message)
                                if messages.count > 1 { break }
                            }
                        } catch {
                            failure = RPCError(converting: error)
                        }
                        // The caller, not the attempt, ends the call (after its `onResponse`).
                        response.trailers.handOverEnd()
                        attemptTrailers.withLock { $0 = response.trailers }
                        return StreamingClientResponse(
                            metadata: response.metadata,
                            messages: RPCAsyncSequence(elements: messages, failure: failure),
                            trailers: response.trailers
                        )
                    }
                } catch {
                    throw RPCError(converting: error)
                }
            }
        } catch {
            endCall(nil)
            throw error
        }
        do {
            let result = try await onResponse(response)
            endCall(response)
            return result
        } catch {
            endCall(response)
            throw error
        }
    }
}

/// Passes a call's response from the task running the call to the interceptor chain, and keeps
/// the call (and its stream) open until the caller is done with the response.
final class ResponseHandoff<Response: Sendable>: Sendable {
    private struct State {
        var outcome: Result<StreamingClientResponse<Response>, RPCError>?
        var responseWaiter: CheckedContinuation<Result<StreamingClientResponse<Response>, RPCError>, Never>?
        var released = false
        var releaseWaiter: CheckedContinuation<Void, Never>?
        var callError: RPCError?
    }

    private let state = Mutex(State())

    /// The call's failure, if it failed.
    var callError: RPCError? { state.withLock { $0.callError } }

    /// The response handed out, if one was.
    var delivered: StreamingClientResponse<Response>? {
        state.withLock { state in
            if case .success(let response)? = state.outcome { return response }
            return nil
        }
    }

    /// Waits for the response (or the call's failure).
    func response() async throws(RPCError) -> StreamingClientResponse<Response> {
        try await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> Result<StreamingClientResponse<Response>, RPCError>? in
                if let outcome = state.outcome { return outcome }
                state.responseWaiter = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }.get()
    }

    /// Hands out the response, then waits until ``release()`` (or cancellation of the call).
    func deliver(_ response: StreamingClientResponse<Response>) async {
        settle(.success(response))
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let releasedAlready = state.withLock { state in
                    if state.released { return true }
                    state.releaseWaiter = continuation
                    return false
                }
                if releasedAlready { continuation.resume() }
            }
        } onCancel: {
            self.release()
        }
    }

    /// Records the call's failure; hands it out if no response was.
    func fail(_ error: RPCError) {
        state.withLock { $0.callError = error }
        settle(.failure(error))
    }

    /// Lets the call end: the caller is done with the response.
    func release() {
        let waiter = state.withLock { state in
            state.released = true
            defer { state.releaseWaiter = nil }
            return state.releaseWaiter
        }
        waiter?.resume()
    }

    private func settle(_ outcome: Result<StreamingClientResponse<Response>, RPCError>) {
        let waiter = state.withLock {
            state -> CheckedContinuation<Result<StreamingClientResponse<Response>, RPCError>, Never>? in
            guard state.outcome == nil else { return nil }
            state.outcome = outcome
            defer { state.responseWaiter = nil }
            return state.responseWaiter
        }
        waiter?.resume(returning: outcome)
    }
}
