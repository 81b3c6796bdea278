import FerryRPC
import RPCTestSupport
import Synchronization
import Testing

/// Adds a credential to every call and records what happened.
struct AuthInterceptor: ClientInterceptor {
    let name: String
    let probe: Probe

    func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingClientRequest<Input>,
        context: ClientCallContext,
        next: (StreamingClientRequest<Input>, ClientCallContext) async throws(RPCError) -> StreamingClientResponse<
            Output
        >
    ) async throws(RPCError) -> StreamingClientResponse<Output> {
        var request = request
        request.metadata.addString("Bearer \(name)", forKey: "authorization")
        probe.record("\(name) before \(context.descriptor.method)")
        do {
            let response = try await next(request, context)
            probe.record("\(name) headers")
            let name = self.name
            let probe = self.probe
            return response.onFinish { outcome in
                switch outcome {
                case .success: probe.record("\(name) ok")
                case .failure(let error): probe.record("\(name) failed \(error.code)")
                }
            }
        } catch {
            probe.record("\(name) failed early \(error.code)")
            throw error
        }
    }
}

/// Rejects calls without credentials and echoes the first credential to the handler as metadata.
struct RequireAuth: ServerInterceptor {
    let probe: Probe

    func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingServerRequest<Input>,
        context: ServerContext,
        next: (StreamingServerRequest<Input>, ServerContext) async throws(RPCError) -> StreamingServerResponse<Output>
    ) async throws(RPCError) -> StreamingServerResponse<Output> {
        guard let credential = request.metadata.firstString(forKey: "authorization") else {
            probe.record("server rejected")
            throw RPCError(code: .unauthenticated, message: "No credentials.")
        }
        var request = request
        request.metadata.addString(credential, forKey: "echo-credential")
        probe.record("server accepted \(credential)")
        return try await next(request, context)
    }
}

/// Rewrites string messages both ways and reports each call's status and trailers; rejects a
/// request message "forbidden".
struct RewritingServerInterceptor: ServerInterceptor {
    let probe: Probe

    func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingServerRequest<Input>,
        context: ServerContext,
        next: (StreamingServerRequest<Input>, ServerContext) async throws(RPCError) -> StreamingServerResponse<Output>
    ) async throws(RPCError) -> StreamingServerResponse<Output> {
        let probe = self.probe
        var request = request
        request.messages = request.messages.map { message in
            guard let text = message as? String else { return message }
            if text == "forbidden" { throw RPCError(code: .invalidArgument, message: "Message refused by policy.") }
            return ("in(" + text + ")") as! Input
        }
        let method = context.descriptor.method
        do {
            return try await next(request, context)
                .mapMessages { message in
                    guard let text = message as? String else { return message }
                    return ("out(" + text + ")") as! Output
                }
                .onFinish { outcome in
                    switch outcome {
                    case .success(var trailers):
                        probe.record("\(method) OK trailers=\(trailers.firstString(forKey: "count") ?? "-")")
                        trailers.addString("yes", forKey: "intercepted")
                        return trailers
                    case .failure(let error):
                        probe.record("\(method) \(error.code)")
                        throw error
                    }
                }
        } catch {
            probe.record("\(method) failed before the response: \(RPCError(converting: error).code)")
            throw error
        }
    }
}

/// Rewrites string messages both ways on the client.
struct RewritingClientInterceptor: ClientInterceptor {
    func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingClientRequest<Input>,
        context: ClientCallContext,
        next: (StreamingClientRequest<Input>, ClientCallContext) async throws(RPCError) -> StreamingClientResponse<
            Output
        >
    ) async throws(RPCError) -> StreamingClientResponse<Output> {
        let request = request.mapMessages { message in
            guard let text = message as? String else { return message }
            return ("c(" + text + ")") as! Input
        }
        var response = try await next(request, context)
        response.messages = response.messages.map { message in
            guard let text = message as? String else { return message }
            if text.contains("poison") {
                throw RPCError(code: .dataLoss, message: "The client refused a response message.")
            }
            return (text + "!") as! Output
        }
        return response
    }
}

/// Answers `Get` calls from a cache without reaching the server.
struct CachingInterceptor: ClientInterceptor {
    func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingClientRequest<Input>,
        context: ClientCallContext,
        next: (StreamingClientRequest<Input>, ClientCallContext) async throws(RPCError) -> StreamingClientResponse<
            Output
        >
    ) async throws(RPCError) -> StreamingClientResponse<Output> {
        guard Output.self == String.self else { return try await next(request, context) }
        return StreamingClientResponse(
            metadata: ["cache": "hit"],
            messages: RPCAsyncSequence(elements: ["cached" as! Output])
        )
    }
}

/// Counts the calls it sees, by method.
struct CountingServerInterceptor: ServerInterceptor {
    let probe: Probe
    let name: String

    func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingServerRequest<Input>,
        context: ServerContext,
        next: (StreamingServerRequest<Input>, ServerContext) async throws(RPCError) -> StreamingServerResponse<Output>
    ) async throws(RPCError) -> StreamingServerResponse<Output> {
        probe.record("\(name) \(context.descriptor.method)")
        return try await next(request, context)
    }
}

@Suite("Client and server interceptors")
struct InterceptorTests {
    func withPair<Result: Sendable>(
        clientInterceptors: [any ClientInterceptor],
        serverInterceptors: [any ServerInterceptor],
        probe: Probe = Probe(),
        _ body: @Sendable (RPCClient) async throws -> Result
    ) async throws -> Result {
        let transport = InProcessTransport()
        let client = RPCClient(transport: transport.client, interceptors: clientInterceptors)
        let server = RPCServer(
            transport: transport.server,
            services: [EchoService(probe: probe)],
            interceptors: serverInterceptors
        )
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.serve() }
            defer { server.beginGracefulShutdown() }
            return try await body(client)
        }
    }

    func update(_ client: RPCClient, _ messages: [String]) async throws -> ([String], Metadata) {
        try await client.bidirectionalStreaming(
            request: StreamingClientRequest(messages: messages),
            descriptor: Echo.update,
            serializer: UTF8Coder(),
            deserializer: UTF8Coder()
        ) { response in
            (try await response.messages.collect(), Metadata())
        }
    }

    @Test("Client interceptors run in order around the call and can add metadata; server interceptors see it")
    func order() async throws {
        let probe = Probe()
        let response = try await withPair(
            clientInterceptors: [
                AuthInterceptor(name: "outer", probe: probe), AuthInterceptor(name: "inner", probe: probe),
            ],
            serverInterceptors: [RequireAuth(probe: probe)]
        ) { client in
            try await client.unary(
                request: ClientRequest(message: "hi"),
                descriptor: Echo.get,
                serializer: UTF8Coder(),
                deserializer: UTF8Coder()
            )
        }
        #expect(response.message == "echo: hi")
        #expect(response.metadata[stringValues: "echo-credential"] == ["Bearer outer"])
        #expect(response.trailingMetadata.firstString(forKey: "trailer-key") == "trailer-value")
        #expect(
            probe.events == [
                "outer before Get", "inner before Get", "server accepted Bearer outer",
                "inner headers", "outer headers", "inner ok", "outer ok",
            ]
        )
    }

    @Test("A server interceptor rejects a call with its status and the client interceptor sees the error")
    func rejection() async throws {
        let probe = Probe()
        let error = try await withPair(
            clientInterceptors: [AuthInterceptor(name: "c", probe: probe).scoped(to: .methods([Echo.expand]))],
            serverInterceptors: [RequireAuth(probe: probe)]
        ) { client in
            await #expect(throws: RPCError.self) {
                try await client.unary(
                    request: ClientRequest(message: "hi"),
                    descriptor: Echo.get,
                    serializer: UTF8Coder(),
                    deserializer: UTF8Coder()
                )
            }
        }
        #expect(error?.code == .unauthenticated)
        #expect(probe.events == ["server rejected"])
    }

    @Test("Server interceptors rewrite request and response messages and see the status and trailers")
    func serverMessages() async throws {
        let probe = Probe()
        let (messages, _) = try await withPair(
            clientInterceptors: [],
            serverInterceptors: [RewritingServerInterceptor(probe: probe)]
        ) { client in
            try await update(client, ["a", "b"])
        }
        #expect(messages == ["out(IN(A))", "out(IN(B))"])
        #expect(probe.events == ["Update OK trailers=done"])
    }

    @Test("A server interceptor rejects one request message: the call fails with its status")
    func serverRejectsMessage() async throws {
        let probe = Probe()
        let error = try await withPair(
            clientInterceptors: [],
            serverInterceptors: [RewritingServerInterceptor(probe: probe)]
        ) { client in
            await #expect(throws: RPCError.self) { try await update(client, ["a", "forbidden", "c"]) }
        }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message == "Message refused by policy.")
        #expect(probe.events == ["Update INVALID_ARGUMENT"])
    }

    @Test("Trailers changed by a server interceptor reach the client")
    func serverTrailers() async throws {
        let trailers = try await withPair(
            clientInterceptors: [],
            serverInterceptors: [RewritingServerInterceptor(probe: Probe())]
        ) { client in
            try await client.bidirectionalStreaming(
                request: StreamingClientRequest(messages: ["x"]),
                descriptor: Echo.update,
                serializer: UTF8Coder(),
                deserializer: UTF8Coder()
            ) { response in
                _ = try await response.messages.collect()
                return response.trailingMetadata
            }
        }
        #expect(trailers.firstString(forKey: "intercepted") == "yes")
        #expect(trailers.firstString(forKey: "count") == "done")
    }

    @Test("A handler's failure before its response reaches the interceptor as an error from next")
    func serverSeesHandlerFailure() async throws {
        let probe = Probe()
        let error = try await withPair(
            clientInterceptors: [],
            serverInterceptors: [RewritingServerInterceptor(probe: probe)]
        ) { client in
            await #expect(throws: RPCError.self) {
                try await client.unary(
                    request: ClientRequest(message: "9"),
                    descriptor: Echo.fail,
                    serializer: UTF8Coder(),
                    deserializer: UTF8Coder()
                )
            }
        }
        // The interceptor turned the request "9" into "in(9)", which the handler reads as UNKNOWN.
        #expect(error?.code == .unknown)
        #expect(probe.events == ["Fail failed before the response: UNKNOWN"])
    }

    @Test("Client interceptors rewrite request and response messages on streaming calls")
    func clientMessages() async throws {
        let (messages, _) = try await withPair(
            clientInterceptors: [RewritingClientInterceptor()],
            serverInterceptors: []
        ) { client in
            try await update(client, ["a", "b"])
        }
        #expect(messages == ["C(A)!", "C(B)!"])
    }

    @Test("A client interceptor rejects a response message: the caller sees its error")
    func clientRejectsMessage() async throws {
        let error = try await withPair(clientInterceptors: [RewritingClientInterceptor()], serverInterceptors: []) {
            client in
            await #expect(throws: RPCError.self) {
                try await client.unary(
                    request: ClientRequest(message: "poison"),
                    descriptor: Echo.get,
                    serializer: UTF8Coder(),
                    deserializer: UTF8Coder()
                )
            }
        }
        #expect(error?.code == .dataLoss)
    }

    @Test("A client interceptor sees an error status, and CANCELLED when the caller stops reading early")
    func clientSeesEnds() async throws {
        let probe = Probe()
        try await withPair(clientInterceptors: [AuthInterceptor(name: "c", probe: probe)], serverInterceptors: []) {
            client in
            await #expect(throws: RPCError.self) {
                try await client.unary(
                    request: ClientRequest(message: "5"),
                    descriptor: Echo.fail,
                    serializer: UTF8Coder(),
                    deserializer: UTF8Coder()
                )
            }
            let first = try await client.serverStreaming(
                request: ClientRequest(message: "one two three"),
                descriptor: Echo.expand,
                serializer: UTF8Coder(),
                deserializer: UTF8Coder()
            ) { response in
                var iterator = response.messages.makeAsyncIterator()
                return try await iterator.next()
            }
            #expect(first == "one")
        }
        #expect(
            probe.events == [
                "c before Fail", "c failed early NOT_FOUND",
                "c before Expand", "c headers", "c failed CANCELLED",
            ]
        )
    }

    @Test("An intercepted single-response call that gets two messages fails as an unintercepted one does")
    func interceptedSingleResponseTooMany() async throws {
        let probe = Probe()
        try await withPair(clientInterceptors: [AuthInterceptor(name: "c", probe: probe)], serverInterceptors: []) {
            client in
            // A unary call on a method that streams: the client reads the whole response in the
            // attempt (no task hop) and still refuses the second message.
            let error = await #expect(throws: RPCError.self) {
                try await client.unary(
                    request: ClientRequest(message: "one two"),
                    descriptor: Echo.expand,
                    serializer: UTF8Coder(),
                    deserializer: UTF8Coder()
                )
            }
            #expect(error?.code == .unimplemented)
            #expect(error?.message.contains("more than one response message") == true)
            let single = try await client.unary(
                request: ClientRequest(message: "solo"),
                descriptor: Echo.expand,
                serializer: UTF8Coder(),
                deserializer: UTF8Coder()
            )
            #expect(single.message == "solo")
        }
        #expect(probe.events.filter { $0 == "c headers" }.count == 2)
        #expect(probe.events.last == "c ok")
    }

    @Test("A client interceptor can answer without calling the server")
    func clientShortCircuit() async throws {
        let probe = Probe()
        let response = try await withPair(
            clientInterceptors: [CachingInterceptor()],
            serverInterceptors: [CountingServerInterceptor(probe: probe, name: "server")]
        ) { client in
            try await client.unary(
                request: ClientRequest(message: "hi"),
                descriptor: Echo.get,
                serializer: UTF8Coder(),
                deserializer: UTF8Coder()
            )
        }
        #expect(response.message == "cached")
        #expect(response.metadata.firstString(forKey: "cache") == "hit")
        #expect(probe.events.isEmpty)
    }

    @Test("Scoped interceptors run only for their services or methods")
    func scopes() async throws {
        let probe = Probe()
        try await withPair(
            clientInterceptors: [
                AuthInterceptor(name: "other-service", probe: probe).scoped(to: .services(["other.Service"]))
            ],
            serverInterceptors: [
                CountingServerInterceptor(probe: probe, name: "all"),
                CountingServerInterceptor(probe: probe, name: "get-only").scoped(to: .methods([Echo.get])),
                CountingServerInterceptor(probe: probe, name: "echo").scoped(to: .services([Echo.service])),
                CountingServerInterceptor(probe: probe, name: "nested")
                    .scoped(to: .services([Echo.service])).scoped(to: .methods([Echo.expand])),
            ]
        ) { client in
            _ = try await client.unary(
                request: ClientRequest(message: "hi"),
                descriptor: Echo.get,
                serializer: UTF8Coder(),
                deserializer: UTF8Coder()
            )
            _ = try await client.serverStreaming(
                request: ClientRequest(message: "a b"),
                descriptor: Echo.expand,
                serializer: UTF8Coder(),
                deserializer: UTF8Coder()
            ) { try await $0.messages.collect() }
        }
        #expect(probe.events == ["all Get", "get-only Get", "echo Get", "all Expand", "echo Expand", "nested Expand"])
    }

    @Test("A deadline that passes during an intercepted call is DEADLINE_EXCEEDED")
    func deadlineThroughInterceptors() async throws {
        let probe = Probe()
        let error = try await withPair(
            clientInterceptors: [AuthInterceptor(name: "c", probe: probe)],
            serverInterceptors: []
        ) { client in
            await #expect(throws: RPCError.self) {
                try await client.serverStreaming(
                    request: ClientRequest(message: ""),
                    descriptor: Echo.sleep,
                    serializer: UTF8Coder(),
                    deserializer: UTF8Coder(),
                    options: CallOptions(timeout: .milliseconds(200))
                ) { try await $0.messages.collect() }
            }
        }
        #expect(error?.code == .deadlineExceeded)
        // The deadline passes after the headers (the stream fails while read) or, on a starved
        // machine, before them (next throws): the interceptor sees DEADLINE_EXCEEDED either way.
        #expect(
            probe.events.last == "c failed DEADLINE_EXCEEDED" || probe.events.last == "c failed early DEADLINE_EXCEEDED"
        )
    }
}
