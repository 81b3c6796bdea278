import FerryCodec
import FerryRPC
import Synchronization
import Testing

/// A Payments implementation written against the generated `ServiceProtocol`.
private struct Payments: Ferry_Examples_V1_Payments.ServiceProtocol {
    /// How many updates `Watch` has sent, and whether a `Watch` handler saw cancellation.
    final class Progress: Sendable {
        let state = Mutex<(sent: Int, cancelled: Bool)>((0, false))
    }
    let watchProgress = Progress()

    func charge(
        _ request: ServerRequest<Ferry_Examples_V1_ChargeRequest>,
        context: ServerContext
    ) async throws -> ServerResponse<Ferry_Examples_V1_ChargeResponse> {
        guard let amount = request.message.amount, amount.minorUnits > 0 else {
            throw RPCError(code: .invalidArgument, message: "amount must be positive")
        }
        return ServerResponse(
            message: Self.approve(request.message),
            metadata: ["x-method": .string(context.descriptor.method)],
            trailingMetadata: ["x-trace": .string(request.metadata[stringValues: "x-trace"].first ?? "none")]
        )
    }

    func watch(
        _ request: ServerRequest<Ferry_Examples_V1_WatchRequest>,
        context: ServerContext
    ) async throws -> StreamingServerResponse<Ferry_Examples_V1_PaymentUpdate> {
        let progress = watchProgress
        let id = request.message.paymentId
        return StreamingServerResponse { writer in
            do {
                // Many more updates than any caller reads, so only cancellation ends it early.
                for i in 0..<100_000 {
                    var update = Ferry_Examples_V1_PaymentUpdate()
                    update.paymentId = id
                    update.status = "step-\(i)"
                    try await writer.write(update)
                    progress.state.withLock { $0.sent += 1 }
                    if i == 2, id == "short" { break }
                }
            } catch {
                progress.state.withLock { $0.cancelled = true }
                throw error
            }
            return ["x-updates": "done"]
        }
    }

    func chargeBatch(
        _ request: StreamingServerRequest<Ferry_Examples_V1_ChargeRequest>,
        context: ServerContext
    ) async throws -> ServerResponse<Ferry_Examples_V1_ChargeResponse> {
        var ids: [String] = []
        for try await charge in request.messages { ids.append(charge.orderId) }
        var response = Ferry_Examples_V1_ChargeResponse()
        response.paymentId = ids.joined(separator: "+")
        response.outcome = .approved
        return ServerResponse(message: response)
    }

    func chargeLive(
        _ request: StreamingServerRequest<Ferry_Examples_V1_ChargeRequest>,
        context: ServerContext
    ) async throws -> StreamingServerResponse<Ferry_Examples_V1_ChargeResponse> {
        StreamingServerResponse { writer in
            for try await charge in request.messages { try await writer.write(Self.approve(charge)) }
            return [:]
        }
    }

    static func approve(_ request: Ferry_Examples_V1_ChargeRequest) -> Ferry_Examples_V1_ChargeResponse {
        var response = Ferry_Examples_V1_ChargeResponse()
        response.paymentId = "pay-" + request.orderId
        response.outcome = .approved
        return response
    }
}

private func charge(_ orderID: String, cents: Int64 = 1299) -> Ferry_Examples_V1_ChargeRequest {
    var request = Ferry_Examples_V1_ChargeRequest()
    request.orderId = orderID
    var amount = Ferry_Examples_V1_Money()
    amount.currency = "EUR"
    amount.minorUnits = cents
    request.amount = amount
    return request
}

/// Serves `service` in process and runs `body` with a generated client.
private func withPayments<Result: Sendable>(
    _ service: Payments = Payments(),
    _ body: @Sendable (Ferry_Examples_V1_Payments.Client) async throws -> Result
) async throws -> Result {
    let transport = InProcessTransport()
    let server = RPCServer(transport: transport.server, services: [service])
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await server.serve() }
        defer { server.beginGracefulShutdown() }
        return try await withRPCClient(transport: transport.client) { client in
            try await body(Ferry_Examples_V1_Payments.Client(wrapping: client))
        }
    }
}

/// The stubs generated from Schemas/ferry/examples/v1/checkout.proto, all four call kinds, in process.
@Suite("Generated service stubs")
struct PaymentsServiceTests {
    @Test("the method descriptors name the service and methods as the .proto does")
    func descriptors() {
        #expect(Ferry_Examples_V1_Payments.name == "ferry.examples.v1.Payments")
        #expect(
            Ferry_Examples_V1_Payments.Method.all.map(\.path) == [
                "/ferry.examples.v1.Payments/Charge", "/ferry.examples.v1.Payments/Watch",
                "/ferry.examples.v1.Payments/ChargeBatch", "/ferry.examples.v1.Payments/ChargeLive",
            ]
        )
        var router = RPCRouter()
        Payments().registerMethods(with: &router)
        #expect(router.methods.count == 4)
        #expect(Ferry_Examples_V1_Payments.Method.all.allSatisfy(router.hasHandler(for:)))
    }

    @Test("unary: the short form returns the message; the full form carries headers and trailers")
    func unary() async throws {
        try await withPayments { payments in
            let response = try await payments.charge(charge("o-1"))
            #expect(response.paymentId == "pay-o-1")
            #expect(response.outcome == .approved)

            let full = try await payments.charge(
                request: ClientRequest(message: charge("o-2"), metadata: ["x-trace": "t-42"])
            )
            #expect(full.message.paymentId == "pay-o-2")
            #expect(full.metadata[stringValues: "x-method"] == ["Charge"])
            #expect(full.trailingMetadata[stringValues: "x-trace"] == ["t-42"])
        }
    }

    @Test("unary: a handler's RPCError reaches the caller with its code and message")
    func unaryError() async throws {
        let error = try await withPayments { payments in
            await #expect(throws: RPCError.self) { try await payments.charge(charge("o-3", cents: 0)) }
        }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message == "amount must be positive")
    }

    @Test("server streaming: the responses are an AsyncSequence; the full form sees the trailers")
    func serverStreaming() async throws {
        try await withPayments { payments in
            var request = Ferry_Examples_V1_WatchRequest()
            request.paymentId = "short"
            var statuses: [String] = []
            for try await update in payments.watch(request) { statuses.append(update.status) }
            #expect(statuses == ["step-0", "step-1", "step-2"])

            let trailers = try await payments.watch(request: ClientRequest(message: request)) { response in
                let updates = try await response.messages.collect()
                #expect(updates.count == 3)
                return response.trailingMetadata
            }
            #expect(trailers[stringValues: "x-updates"] == ["done"])
        }
    }

    @Test("server streaming: dropping the sequence's iterator early cancels the call on the server")
    func serverStreamingDropped() async throws {
        let service = Payments()
        try await withPayments(service) { payments in
            var request = Ferry_Examples_V1_WatchRequest()
            request.paymentId = "long"
            var taken = 0
            for try await _ in payments.watch(request) {
                taken += 1
                if taken == 5 { break }
            }
            #expect(taken == 5)
            // The handler's next write fails once the stream is cancelled; give it a bounded time.
            for _ in 0..<500 where !service.watchProgress.state.withLock(\.cancelled) {
                try await Task.sleep(for: .milliseconds(10))
            }
        }
        let progress = service.watchProgress.state.withLock { $0 }
        #expect(progress.cancelled)
        #expect(progress.sent < 100_000)
    }

    @Test("client streaming: the producer writes the requests; one response answers them all")
    func clientStreaming() async throws {
        try await withPayments { payments in
            let response = try await payments.chargeBatch { writer in
                for id in ["a", "b", "c"] { try await writer.write(charge(id)) }
            }
            #expect(response.paymentId == "a+b+c")

            let full = try await payments.chargeBatch(request: StreamingClientRequest(messages: [charge("x")]))
            #expect(full.message.paymentId == "x")
        }
    }

    @Test("bidirectional: the body plays ping-pong, one request per response")
    func bidirectional() async throws {
        try await withPayments { payments in
            let answered = try await payments.chargeLive { requests, responses in
                var iterator = responses.makeAsyncIterator()
                var ids: [String] = []
                for id in ["p1", "p2", "p3"] {
                    try await requests.write(charge(id))
                    guard let response = try await iterator.next() else { break }
                    ids.append(response.paymentId)
                }
                await requests.finish()
                #expect(try await iterator.next() == nil)
                return ids
            }
            #expect(answered == ["pay-p1", "pay-p2", "pay-p3"])

            let collected = try await payments.chargeLive(
                request: StreamingClientRequest(messages: [charge("q1"), charge("q2")])
            ) { response in
                try await response.messages.collect().map(\.paymentId)
            }
            #expect(collected == ["pay-q1", "pay-q2"])
        }
    }

    @Test("bidirectional: returning from the body before the responses end cancels the call")
    func bidirectionalEarlyReturn() async throws {
        try await withPayments { payments in
            let first = try await payments.chargeLive { requests, responses in
                try await requests.write(charge("only"))
                var iterator = responses.makeAsyncIterator()
                return try await iterator.next()?.paymentId
            }
            #expect(first == "pay-only")
            // The connection is still usable afterwards.
            #expect(try await payments.charge(charge("after")).paymentId == "pay-after")
        }
    }
}
